package org.lwktlab.slab;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.lwktlab.lwkt.Cpu;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;
import org.lwktlab.slab.SlabMisuseException.Kind;

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
    final int ncpus;
    /** This slab's handle tag: a handle with another one is foreign. */
    final int tag;
    /** "slab 'name' (design)", for messages. */
    final String label;
    /** Labels of every probe of this slab. */
    final Labels labels;
    /** One per CPU, the external one (threads outside the kernel) last. */
    final SlabCounters[] counters;
    final MisuseLog misuses = new MisuseLog();

    Slab(String design, Kernel kernel, SlabConfig config) {
        this.design = design;
        this.kernel = kernel;
        this.config = config;
        this.ncpus = kernel.ncpus();
        this.tag = SlabHandle.newTag();
        this.label = "slab '" + config.name() + "' (" + design + ")";
        this.labels = Labels.of("subsystem", "slab", "slab", config.name(), "allocator", design);
        ProbeRegistry p = kernel.probes();
        this.counters = new SlabCounters[ncpus + 1];
        for (int i = 0; i <= ncpus; i++) {
            counters[i] = new SlabCounters(p, labels.and("cpu", i < ncpus ? Integer.toString(i) : "external"), i == ncpus,
                    kernel.probesEnabled());
        }
        p.gauge("lwkt_slab_bytes_in_use", "Bytes in chunks allocated and not yet freed", labels, false, this::bytesInUse);
        p.functionCounter("lwkt_slab_misuse_total", "Double frees, foreign/unknown handles, uses after free refused",
                labels, false, misuses::count);
    }

    /** The calling CPU's number if it is a CPU of this slab's kernel, else {@link #ncpus} (the external slot). */
    final int callerSlot() {
        final Cpu c = Lwkt.currentCpu();
        return c != null && c.kernel() == kernel ? c.id() : ncpus;
    }

    /** A misuse, recorded; {@code thrown} when the caller will get it. */
    final SlabMisuseException misuse(Kind kind, long h, String why, boolean thrown) {
        String what = switch (kind) {
            case DOUBLE_FREE -> "double free of handle ";
            case STALE_HANDLE -> "free of stale handle ";
            case FOREIGN_HANDLE -> "foreign handle ";
            case UNKNOWN_HANDLE -> "unknown handle ";
            case USE_AFTER_FREE -> "use after free of handle ";
            case OUT_OF_BOUNDS -> "out-of-bounds access through handle ";
        };
        return misuses.record(new SlabMisuseException(kind, h, label + ": " + what + SlabHandle.describe(h) + ": " + why), thrown);
    }

    /** The misuse for a handle whose tag is not this slab's. */
    final SlabMisuseException badTag(long h) {
        int t = SlabHandle.tag(h);
        if (t == 0) {
            return misuse(Kind.UNKNOWN_HANDLE, h, h == NULL ? "it is the null handle" : "it is not a slab handle (no tag)", true);
        }
        return misuse(Kind.FOREIGN_HANDLE, h, "it belongs to another slab (tag " + t + "; this slab's tag is " + tag + ")", true);
    }

    /** The misuse for an access outside the chunk. */
    final SlabMisuseException outOfBounds(long h, int off, int width, int chunkSize) {
        return misuse(Kind.OUT_OF_BOUNDS, h, "bytes " + off + ".." + ((long) off + width) + " of a " + chunkSize + " B chunk", true);
    }

    /** Refuses to close while CPUs may still use the slab. */
    final void checkClosable() {
        if (kernel.running()) {
            throw new IllegalStateException(label + ": close it after Kernel.shutdown(), not while CPUs may use it");
        }
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
        return new SlabExhaustedException(label + ": no memory for " + size
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
    public final SlabStats stats() {
        long a = 0, f = 0, rf = 0, ri = 0;
        for (SlabCounters c : counters) {
            a += c.allocs.getAcquire();
            f += c.frees.getAcquire();
            rf += c.remoteFrees.getAcquire();
            ri += c.remoteFreeIpis.getAcquire();
        }
        long[] z = zoneFigures();
        return new SlabStats(design, a, f, rf, ri, bytesInUse(), (int) z[0], (int) z[1], (int) z[2], z[3], z[4],
                misuses.count());
    }

    /** Zones in use, free zones held, pool zones, zones taken, zones returned (all 0 without zones). */
    long[] zoneFigures() {
        return new long[5];
    }

    final long bytesInUse() {
        long b = 0;
        for (SlabCounters c : counters) {
            b += c.allocBytes.getAcquire() - c.freeBytes.getAcquire();
        }
        return b;
    }

    /** The misuses refused so far (the first ones kept; {@link SlabStats#misuses()} counts all). */
    public final List<SlabMisuseException> misuses() {
        return misuses.first();
    }

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
