package org.lwktlab.slab;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.lwktlab.lwkt.Kernel;

/**
 * A kernel memory allocator with DragonFly's {@code kmalloc} shape: {@link #alloc} returns a
 * <em>handle</em> (a {@code long}, never 0) to a chunk of off-heap memory, read and written through
 * this object ({@link #getLong}, {@link #putLong}, ...), and given back with {@link #free}. Requests of
 * 1 B to 8 KiB are rounded up to one of {@link #sizeClasses()} (16 B ... 8 KiB); {@link #allocPage()}
 * returns a 4 KiB page-aligned chunk (the page class).
 *
 * <p><b>Designs</b>, chosen by name with {@link #create} — the same API, data and load, so their
 * numbers compare:
 * <ul>
 *   <li>{@code message} — per-CPU zones; a free on the owning CPU goes straight to its zone; a free on
 *       another CPU is batched per owner and carried home by a passive IPI when the batch fills or the
 *       current dispatch step ends. Pure message passing: no lock, no atomic on any path.</li>
 *   <li>{@code message-cas} — per-CPU zones, DragonFly's own {@code kfree}: a remote free CAS-pushes
 *       the chunk onto the owning zone's remote list, and only the push that makes that list non-empty
 *       while the zone has signalled ({@code RSignal}) sends a passive IPI.</li>
 *   <li>{@code mutex} — one zone set under one lock ({@code lwkt.lock.ProbedLock}, any kind of the
 *       portfolio); {@code mutex-striped} — one zone set and lock per stripe (per CPU by default), a free
 *       taking the lock of the stripe that owns the chunk.</li>
 *   <li>{@code jvm} — a plain {@code new byte[]} per allocation, reclaimed by the garbage collector; the
 *       handle indexes a lock-free slot table.</li>
 * </ul>
 *
 * <p><b>Who may call.</b> Any of it from a CPU of the slab's kernel (handlers, rollups, IPI functions,
 * step hooks): that is the fast path, allocation-free in steady state. Threads outside the kernel may
 * call it too: in the per-CPU designs an {@code alloc} there is a round trip through a CPU's submission
 * queue, and a {@code free} a one-way submission to the chunk's owner. Reads and writes work from any
 * thread that got the handle through a happens-before edge (a message, a queue).
 *
 * <p><b>Misuse</b> — double free, a foreign or unknown handle, use after free and overruns in checked
 * mode — raises {@link SlabMisuseException} and never corrupts the allocator (see that class for when
 * a check happens later, at the owner). {@link Kernel#shutdown()} lists every chunk still allocated,
 * per zone and size class, as a leak.
 */
public abstract class Slab implements AutoCloseable {
    /** Every design, by name. */
    public static final List<String> DESIGNS = List.of("message", "message-cas", "mutex", "mutex-striped", "jvm");
    /** The null handle. */
    public static final long NULL = 0;
    /** Largest request. */
    public static final int MAX_SIZE = SizeClasses.MAX;
    /** The page class: {@link #allocPage()} chunks are this big and this aligned. */
    public static final int PAGE_SIZE = SizeClasses.PAGE;

    final String design;
    final Kernel kernel;
    final SlabConfig config;

    Slab(String design, Kernel kernel, SlabConfig config) {
        this.design = design;
        this.kernel = kernel;
        this.config = config;
    }

    /**
     * A slab of design {@code design} for {@code kernel}'s CPUs, registering its probes in the kernel's
     * registry and its leak report with the kernel's shutdown.
     *
     * @throws IllegalArgumentException for an unknown design, naming the valid ones
     */
    public static Slab create(String design, Kernel kernel, SlabConfig config) {
        Objects.requireNonNull(design, "design");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(config, "config");
        if (!kernel.running()) {
            throw new IllegalStateException("slab '" + config.name() + "': kernel " + kernel.name() + " is shutting down");
        }
        return switch (design.trim().toLowerCase(Locale.ROOT)) {
            case "message" -> new MessageSlab(kernel, config);
            case "message-cas" -> new MessageCasSlab(kernel, config);
            case "mutex" -> new MutexSlab("mutex", kernel, config, 1);
            case "mutex-striped" -> new MutexSlab("mutex-striped", kernel, config,
                    config.stripes() == 0 ? kernel.ncpus() : config.stripes());
            case "jvm" -> new JvmSlab(kernel, config);
            default -> throw new IllegalArgumentException("unknown slab design '" + design + "'; valid designs: "
                    + String.join(", ", DESIGNS));
        };
    }

    /** A slab with the default configuration. */
    public static Slab create(String design, Kernel kernel) {
        return create(design, kernel, SlabConfig.defaults());
    }

    /** The chunk sizes requests are rounded up to, smallest first. */
    public static int[] sizeClasses() {
        return SizeClasses.sizes();
    }

    /**
     * The chunk size a request of {@code size} bytes gets.
     *
     * @throws IllegalArgumentException if {@code size} is not 1..{@link #MAX_SIZE}
     */
    public static int chunkSizeFor(int size) {
        return SizeClasses.size(classOf(size));
    }

    static int classOf(int size) {
        int cls = SizeClasses.classOf(size);
        if (cls < 0) {
            throw new IllegalArgumentException("slab: cannot allocate " + size + " B; sizes are 1.." + MAX_SIZE
                    + " B (size classes " + SizeClasses.MIN + " B .. " + MAX_SIZE + " B; allocPage() for a "
                    + PAGE_SIZE + " B page)");
        }
        return cls;
    }

    public final String design() {
        return design;
    }

    public final String name() {
        return config.name();
    }

    public final SlabConfig config() {
        return config;
    }

    public final Kernel kernel() {
        return kernel;
    }

    /**
     * A chunk of at least {@code size} bytes (contents undefined).
     *
     * @throws IllegalArgumentException  if {@code size} is not 1..{@link #MAX_SIZE}
     * @throws SlabExhaustedException if the arena has no room left
     */
    public final long alloc(int size) {
        long h = tryAlloc(size);
        if (h == NULL) {
            throw exhausted(size);
        }
        return h;
    }

    /** Like {@link #alloc}, but returns {@link #NULL} instead of throwing when the arena is full. */
    public abstract long tryAlloc(int size);

    /** A {@link #PAGE_SIZE} chunk aligned to {@link #PAGE_SIZE} (the page class). */
    public final long allocPage() {
        return alloc(PAGE_SIZE);
    }

    SlabExhaustedException exhausted(int size) {
        return new SlabExhaustedException("slab '" + name() + "' (" + design + "): no memory for " + size
                + " B: all " + config.zones() + " zones of " + config.zoneBytes() + " B are in use; raise arenaBytes ("
                + config.arenaBytes() + " B now)");
    }

    /**
     * Gives the chunk back. Each chunk is freed exactly once.
     *
     * @throws SlabMisuseException on a double free, a foreign or unknown handle (see that class for the
     *                             frees verified later by the owner)
     */
    public abstract void free(long handle);

    /** The chunk's usable size: its size class. */
    public abstract int usableSize(long handle);

    // ------------------------------------------------------------------ access

    public abstract byte getByte(long handle, int offset);

    public abstract void putByte(long handle, int offset, byte value);

    public abstract int getInt(long handle, int offset);

    public abstract void putInt(long handle, int offset, int value);

    public abstract long getLong(long handle, int offset);

    public abstract void putLong(long handle, int offset, long value);

    /** Copies {@code length} bytes from {@code src[srcOffset..]} into the chunk at {@code offset}. */
    public abstract void copyFrom(byte[] src, int srcOffset, long handle, int offset, int length);

    /** Copies {@code length} bytes of the chunk at {@code offset} into {@code dst[dstOffset..]}. */
    public abstract void copyTo(long handle, int offset, byte[] dst, int dstOffset, int length);

    /** Copies {@code length} bytes between two chunks of this slab. */
    public abstract void copy(long src, int srcOffset, long dst, int dstOffset, int length);

    /** Sets {@code length} bytes of the chunk from {@code offset} to {@code value}. */
    public abstract void fill(long handle, int offset, int length, byte value);

    /**
     * The chunk as a {@link MemorySegment} of its usable size, for JDK APIs (channels, bulk copies).
     * Allocates the segment object: not for the hot path. Invalid once the chunk is freed.
     */
    public abstract MemorySegment segment(long handle);

    // ------------------------------------------------------------------ reports

    /** Counts and gauges so far (racy sums while CPUs run). */
    public abstract SlabStats stats();

    /** The misuses refused so far (the first ones kept; {@link SlabStats#misuses()} counts all). */
    public abstract List<SlabMisuseException> misuses();

    /**
     * Frees the off-heap memory. Only after {@link Kernel#shutdown()} (whose report lists any leak);
     * every handle is invalid afterwards.
     *
     * @throws IllegalStateException while the kernel runs
     */
    @Override
    public abstract void close();

    @Override
    public String toString() {
        return "Slab[" + name() + ", " + design + "]";
    }
}
