package org.lwktlab.slab;

import java.util.concurrent.locks.ReentrantLock;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.ShutdownParticipant;
import org.lwktlab.lwkt.ShutdownReport;
import org.lwktlab.lwkt.lock.ProbedLock;
import org.lwktlab.lwkt.lock.Section;
import org.lwktlab.slab.SlabMisuseException.Kind;

/**
 * Designs {@code mutex} and {@code mutex-striped}: the same zones and size classes as the per-CPU
 * designs, shared under locks — how a kernel allocator looks before per-CPU caches. {@code mutex} has
 * one zone set under one lock; {@code mutex-striped} one per stripe, a CPU allocating from stripe
 * {@code cpu % stripes} and a free taking the lock of the stripe that owns the chunk's zone. The lock
 * is a {@link ProbedLock} of the configured kind, so contention (acquisitions, contended acquisitions,
 * wait time) is probed as for every mutex design.
 *
 * <p><b>Invariants.</b> A stripe's zone set is touched only under its lock; each CPU uses its own lock
 * handles (single-writer probes); threads outside the kernel share one set of handles behind a gate
 * lock. Free zones go back to the pool under the stripe lock, right after the free that made the
 * surplus (there is no IPI context here to avoid).
 */
final class MutexSlab extends ArenaSlab {
    private static final Section ALLOC = (state, arg) -> ((ZoneSet) state).alloc((int) arg);
    private static final Section FREE = (state, arg) -> ((ZoneSet) state).freeAndReclaim(arg);
    private static final Section LEAKS = (state, arg) -> {
        LeakScan s = (LeakScan) state;
        collectLeaks(s.set, s.where, s.report);
        return 0;
    };

    private record LeakScan(ZoneSet set, String where, LeakReport report) {}

    private final int nstripes;
    private final ProbedLock[] locks;
    private final ProbedLock.Handle[][] handles; // [cpu, or ncpus for outside threads][stripe], made on first use
    private final ReentrantLock outsideGate = new ReentrantLock();

    MutexSlab(String design, Kernel kernel, SlabConfig config, int stripes) {
        super(design, kernel, config, stripes, "stripe", false);
        this.nstripes = stripes;
        this.locks = new ProbedLock[stripes];
        for (int i = 0; i < stripes; i++) {
            locks[i] = ProbedLock.create(config.lock(), stripes == 1 ? "slab" : "slab-stripe" + i, kernel.probes(), labels);
        }
        this.handles = new ProbedLock.Handle[ncpus + 1][stripes];
        participate(new ShutdownParticipant() {
            @Override
            public void onShutdown(ShutdownReport.Builder report) {
                LeakReport r = new LeakReport();
                outsideGate.lock();
                try {
                    for (int s = 0; s < nstripes; s++) {
                        handle(ncpus, s).locked(LEAKS, new LeakScan(sets[s], nstripes == 1 ? "shared" : "stripe " + s, r), 0);
                    }
                } finally {
                    outsideGate.unlock();
                }
                report(report, r);
            }

            @Override
            public String toString() {
                return MutexSlab.this.toString();
            }
        });
    }

    private ProbedLock.Handle handle(int caller, int stripe) {
        ProbedLock.Handle h = handles[caller][stripe];
        if (h == null) {
            h = locks[stripe].handle();
            handles[caller][stripe] = h;
        }
        return h;
    }

    @Override
    public long tryAlloc(int size) {
        final int cls = classOf(size);
        final int me = callerSlot();
        if (me < ncpus) {
            final int s = me % nstripes;
            final long h = handle(me, s).locked(ALLOC, sets[s], cls);
            if (h != NULL) {
                counters[me].alloc(SizeClasses.size(cls));
            }
            return h;
        }
        outsideGate.lock();
        try {
            final int s = (int) (Thread.currentThread().threadId() % nstripes);
            final long h = handle(ncpus, s).locked(ALLOC, sets[s], cls);
            if (h != NULL) {
                counters[ncpus].alloc(SizeClasses.size(cls));
            }
            return h;
        } finally {
            outsideGate.unlock();
        }
    }

    @Override
    public void free(long h) {
        final SlabZone z = zoneOf(h);
        final int s = z.owner();
        if (s < 0) {
            throw misuse(Kind.UNKNOWN_HANDLE, h, "its zone is not in use (it is back in the page pool)", true);
        }
        final int size = z.chunkSize;
        final int caller = callerSlot();
        final int st;
        if (caller < ncpus) {
            st = (int) handle(caller, s).locked(FREE, sets[s], h);
        } else {
            outsideGate.lock();
            try {
                st = (int) handle(caller, s).locked(FREE, sets[s], h);
            } finally {
                outsideGate.unlock();
            }
        }
        if (st != ZoneSet.OK) {
            throw misuse(st, h, true);
        }
        counters[caller].free(size);
        if (caller == ncpus || s != caller % nstripes) {
            counters[caller].remoteFree();
        }
    }
}
