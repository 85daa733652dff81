package org.lwktlab.slab;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.agrona.concurrent.status.AtomicCounter;
import org.lwktlab.lwkt.Cpu;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * A cache of constructed Java objects — messages, packet headers, batch carriers — after DragonFly's
 * {@code kern_objcache.c}, which follows Bonwick's magazines (USENIX'01): each CPU owns a
 * <em>loaded</em> and a <em>previous</em> {@link Magazine}; a shared {@link MagazineDepot} holds full
 * and empty magazines under a lock. {@link #get} pops from the loaded magazine, else swaps in the
 * previous one if it is full, else trades the empty loaded magazine for a full one at the depot, else
 * constructs a new object (if the {@code limit} allows). {@link #put} mirrors it; when the depot already
 * holds its maximum of full magazines the object is destroyed. Objects put on one CPU may be got on
 * another: as in DragonFly, a put is not sent back to its origin.
 *
 * <p><b>Who may call.</b> On a CPU of the cache's kernel, {@code get}/{@code put} touch only that CPU's
 * magazines: no lock, no atomic, no allocation in steady state; the depot lock is taken once per
 * magazine. Threads outside the kernel take the slow path: they share one extra magazine pair under
 * its own lock (then the depot lock), so they work, but serialised.
 *
 * <p><b>Invariants.</b> A CPU's magazines are touched only by that CPU; the previous magazine is always
 * full or empty; every object the cache made is either cached (in a magazine) or out with a caller,
 * until destroyed — {@code constructed - destroyed} objects exist. Statistics per CPU (label
 * {@code cpu}, {@code external} for the slow path): {@code lwkt_objcache_gets_total},
 * {@code _gets_null_total} (limit reached), {@code _puts_total}, {@code _constructed_total},
 * {@code _destroyed_total}, {@code _depot_exchanges_total}, {@code _depot_contested_total}.
 *
 * @param <T> the cached type
 */
public final class ObjCache<T> {
    private final String name;
    private final Kernel kernel;
    private final Supplier<? extends T> constructor;
    private final Consumer<? super T> destructor;
    private final int capacity;
    private final CpuCache[] slots; // one per CPU, then the outside slot
    private final MagazineDepot depot;
    private final ReentrantLock outsideLock = new ReentrantLock();
    private final AtomicLong unallocated;
    private final boolean limited;
    private final boolean probed;
    private volatile boolean closed;

    /** One CPU's magazines and statistics; written only by that CPU (the outside slot: under its lock). */
    static final class CpuCache extends CpuCacheFields {
        @SuppressWarnings("unused")
        private long q0, q1, q2, q3, q4, q5, q6, q7;

        CpuCache(int capacity, ProbeRegistry p, Labels l) {
            super(capacity, p, l);
        }
    }

    abstract static class CpuCachePad {
        @SuppressWarnings("unused")
        private long p0, p1, p2, p3, p4, p5, p6, p7;
    }

    abstract static class CpuCacheFields extends CpuCachePad {
        Magazine loaded;
        Magazine previous;
        final AtomicCounter gets;
        final AtomicCounter getsNull;
        final AtomicCounter puts;
        final AtomicCounter constructed;
        final AtomicCounter destroyed;
        final AtomicCounter exchanges;
        final AtomicCounter contested;

        CpuCacheFields(int capacity, ProbeRegistry p, Labels l) {
            loaded = new Magazine(capacity);
            previous = new Magazine(capacity);
            gets = p.counter("lwkt_objcache_gets_total", "Objects taken from this object cache on this CPU", l);
            getsNull = p.counter("lwkt_objcache_gets_null_total",
                    "Gets that found no cached object and no budget to construct one (returned null)", l);
            puts = p.counter("lwkt_objcache_puts_total", "Objects returned to this object cache on this CPU", l);
            constructed = p.counter("lwkt_objcache_constructed_total", "Objects this CPU had to construct (cache misses)", l);
            destroyed = p.counter("lwkt_objcache_destroyed_total",
                    "Objects this CPU destroyed because the depot was full (or at close)", l);
            exchanges = p.counter("lwkt_objcache_depot_exchanges_total",
                    "Magazines this CPU traded with the depot (one depot lock each)", l);
            contested = p.counter("lwkt_objcache_depot_contested_total",
                    "Depot lock acquisitions by this CPU that found the lock held", l);
        }
    }

    private ObjCache(Builder<T> b, Kernel kernel) {
        this.name = b.name;
        this.kernel = kernel;
        this.constructor = b.constructor;
        this.destructor = b.destructor;
        int n = kernel.ncpus();
        this.capacity = b.capacity > 0 ? b.capacity : nominalCapacity(b.nominal, n);
        this.depot = new MagazineDepot(capacity, b.maxFullMagazines);
        this.limited = b.limit >= 0;
        this.unallocated = new AtomicLong(limited ? b.limit : Long.MAX_VALUE);
        this.probed = kernel.probesEnabled();
        ProbeRegistry p = kernel.probes();
        this.slots = new CpuCache[n + 1];
        for (int i = 0; i <= n; i++) {
            slots[i] = new CpuCache(capacity, p, Labels.of("cache", name, "cpu", i < n ? Integer.toString(i) : "external"));
        }
    }

    /** DragonFly's magazine size from a nominal cache size: {@code nom/(ncpus+1)/2 + 1}, clamped to 4..128. */
    static int nominalCapacity(int nominal, int ncpus) {
        if (nominal <= 0) {
            return 32;
        }
        return Math.clamp(nominal / (ncpus + 1) / 2 + 1, 4, 128);
    }

    /**
     * A builder for a cache called {@code name} (label {@code cache}) whose objects are made by
     * {@code constructor}.
     */
    public static <T> Builder<T> builder(String name, Supplier<? extends T> constructor) {
        return new Builder<>(name, constructor);
    }

    public String name() {
        return name;
    }

    /** Rounds per magazine. */
    public int magazineCapacity() {
        return capacity;
    }

    /**
     * An object: a cached one, or a newly constructed one if the cache is empty; null only when the
     * cache has a {@code limit} and that many objects already exist. On a CPU of the kernel, allocation-
     * and lock-free in steady state; from other threads, the serialised slow path.
     */
    public T get() {
        final Cpu c = Lwkt.currentCpu();
        if (c != null && c.kernel() == kernel) {
            return get(slots[c.id()]);
        }
        return getOutside();
    }

    /** Returns {@code obj} to the cache (it must have come from it, and not be in use any more). */
    public void put(T obj) {
        Objects.requireNonNull(obj, "obj");
        final Cpu c = Lwkt.currentCpu();
        if (c != null && c.kernel() == kernel) {
            put(slots[c.id()], obj);
        } else {
            putOutside(obj);
        }
    }

    @SuppressWarnings("unchecked")
    private T get(CpuCache cc) {
        Magazine m = cc.loaded;
        if (m.count == 0) {
            m = refill(cc, m);
            if (m == null) {
                return construct(cc);
            }
        }
        if (probed) {
            cc.gets.incrementRelease();
        }
        return (T) m.pop();
    }

    /** The loaded magazine is empty: swap in a full previous one, or trade at the depot; null if neither. */
    private Magazine refill(CpuCache cc, Magazine emptyLoaded) {
        Magazine p = cc.previous;
        if (p.count != 0) {
            cc.previous = emptyLoaded;
            cc.loaded = p;
            return p;
        }
        Magazine f = depot.exchangeEmptyForFull(emptyLoaded, cc.contested);
        if (f != null) {
            if (probed) {
                cc.exchanges.incrementRelease();
            }
            cc.loaded = f;
        }
        return f;
    }

    private T construct(CpuCache cc) {
        if (limited && unallocated.getAndDecrement() <= 0) {
            unallocated.getAndIncrement();
            if (probed) {
                cc.getsNull.incrementRelease();
            }
            return null;
        }
        T obj;
        try {
            obj = Objects.requireNonNull(constructor.get(), () -> "object cache '" + name + "': the constructor returned null");
        } catch (RuntimeException | Error e) {
            if (limited) {
                unallocated.getAndIncrement();
            }
            throw e;
        }
        cc.constructed.incrementRelease(); // always: constructed - destroyed is the live count
        if (probed) {
            cc.gets.incrementRelease();
        }
        return obj;
    }

    private void put(CpuCache cc, T obj) {
        Magazine m = cc.loaded;
        if (m.count == m.rounds.length) {
            Magazine p = cc.previous;
            if (p.count == 0) {
                cc.previous = m;
                cc.loaded = p;
                m = p;
            } else {
                Magazine e = depot.exchangeFullForEmpty(m, cc.contested);
                if (e == null) {
                    destroy(cc, obj);
                    return;
                }
                if (probed) {
                    cc.exchanges.incrementRelease();
                }
                cc.loaded = e;
                m = e;
            }
        }
        m.push(obj);
        if (probed) {
            cc.puts.incrementRelease();
        }
    }

    private void destroy(CpuCache cc, T obj) {
        cc.destroyed.incrementRelease();
        if (limited) {
            unallocated.getAndIncrement();
        }
        if (destructor != null) {
            destructor.accept(obj);
        }
    }

    private T getOutside() {
        checkOpen();
        outsideLock.lock();
        try {
            return get(slots[slots.length - 1]);
        } finally {
            outsideLock.unlock();
        }
    }

    private void putOutside(T obj) {
        checkOpen();
        outsideLock.lock();
        try {
            put(slots[slots.length - 1], obj);
        } finally {
            outsideLock.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("object cache '" + name + "' is closed");
        }
    }

    /** Totals over all CPUs and the slow path. Any thread; a racy snapshot while CPUs run. */
    public Stats stats() {
        long g = 0, gn = 0, p = 0, c = 0, d = 0, x = 0, ct = 0;
        for (CpuCache cc : slots) {
            g += cc.gets.getAcquire();
            gn += cc.getsNull.getAcquire();
            p += cc.puts.getAcquire();
            c += cc.constructed.getAcquire();
            d += cc.destroyed.getAcquire();
            x += cc.exchanges.getAcquire();
            ct += cc.contested.getAcquire();
        }
        return new Stats(g, gn, p, c, d, x, ct, depot.cachedObjects(), depot.magazinesCreated());
    }

    /**
     * Statistics of an object cache.
     *
     * @param gets               objects handed out
     * @param getsNull           gets refused because the limit was reached
     * @param puts               objects returned
     * @param constructed        objects made by the constructor
     * @param destroyed          objects given to the destructor
     * @param depotExchanges     magazines traded with the depot
     * @param depotContested     depot lock acquisitions that found it held
     * @param depotCached        objects in the depot's full magazines
     * @param magazinesCreated   magazines the depot made beyond the per-CPU ones
     */
    public record Stats(long gets, long getsNull, long puts, long constructed, long destroyed, long depotExchanges,
                        long depotContested, long depotCached, long magazinesCreated) {
        /** Objects that exist now (cached or in use). */
        public long live() {
            return constructed - destroyed;
        }
    }

    /**
     * Destroys every cached object (running the destructor on each). Only after the kernel has shut down,
     * when no CPU can touch its magazines any more; objects still out with callers are theirs.
     *
     * @throws IllegalStateException while the kernel runs
     */
    public void close() {
        if (kernel.running()) {
            throw new IllegalStateException("object cache '" + name + "': close it after Kernel.shutdown(), not while CPUs use it");
        }
        outsideLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            CpuCache ext = slots[slots.length - 1];
            for (CpuCache cc : slots) {
                drain(ext, cc.loaded);
                drain(ext, cc.previous);
            }
            Magazine f;
            while ((f = depot.pollFull()) != null) {
                drain(ext, f);
            }
        } finally {
            outsideLock.unlock();
        }
    }

    @SuppressWarnings("unchecked")
    private void drain(CpuCache counting, Magazine m) {
        while (m.count > 0) {
            destroy(counting, (T) m.pop());
        }
    }

    @Override
    public String toString() {
        return "ObjCache[" + name + ", " + capacity + " rounds/magazine]";
    }

    /**
     * Builds an {@link ObjCache}.
     *
     * @param <T> the cached type
     */
    public static final class Builder<T> {
        private final String name;
        private final Supplier<? extends T> constructor;
        private Consumer<? super T> destructor;
        private int capacity;
        private int nominal;
        private long limit = -1;
        private int maxFullMagazines = Integer.MAX_VALUE;

        private Builder(String name, Supplier<? extends T> constructor) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("an object cache needs a name");
            }
            this.name = name;
            this.constructor = Objects.requireNonNull(constructor, "constructor");
        }

        /** Run on each object the cache drops (depot full, or {@link ObjCache#close}). */
        public Builder<T> destructor(Consumer<? super T> d) {
            destructor = Objects.requireNonNull(d, "destructor");
            return this;
        }

        /** Rounds per magazine (default 32, or derived from {@link #nominal}). */
        public Builder<T> magazineCapacity(int c) {
            if (c < 1 || c > 4096) {
                throw new IllegalArgumentException("object cache '" + name + "': magazine capacity must be 1..4096, got " + c);
            }
            capacity = c;
            return this;
        }

        /** Nominal cache size; the magazine capacity becomes DragonFly's {@code nom/(ncpus+1)/2 + 1}, clamped to 4..128. */
        public Builder<T> nominal(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("object cache '" + name + "': nominal size must be >= 1, got " + n);
            }
            nominal = n;
            return this;
        }

        /** At most {@code n} objects exist at once ({@code get} returns null beyond); default unlimited. */
        public Builder<T> limit(long n) {
            if (n < 0) {
                throw new IllegalArgumentException("object cache '" + name + "': limit must be >= 0, got " + n);
            }
            limit = n;
            return this;
        }

        /** The depot keeps at most {@code n} full magazines; puts beyond destroy objects. Default unbounded. */
        public Builder<T> maxFullMagazines(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("object cache '" + name + "': maxFullMagazines must be >= 0, got " + n);
            }
            maxFullMagazines = n;
            return this;
        }

        /** Builds the cache for {@code kernel}'s CPUs, registering its probes there. */
        public ObjCache<T> build(Kernel kernel) {
            Objects.requireNonNull(kernel, "kernel");
            return new ObjCache<>(this, kernel);
        }
    }
}
