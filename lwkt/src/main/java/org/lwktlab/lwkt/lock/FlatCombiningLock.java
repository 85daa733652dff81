package org.lwktlab.lwkt.lock;

import java.util.Arrays;
import org.agrona.concurrent.status.AtomicCounter;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * Flat combining (Hendler, Incze, Shavit, Tzafrir, SPAA'10): a thread publishes its section in its
 * own record; whoever gets the lock becomes the combiner and runs every published section in one
 * pass, so the shared state stays in one core's cache — delegation without messages.
 *
 * <p><b>Invariants:</b> a record holds at most one request; the combiner runs it exactly once, stores
 * the result and then clears the request (release), which is what its owner waits for; sections run
 * one at a time (under the TTAS lock). Sections may run on another thread than the caller.
 *
 * <p>Probes: {@code acquisitions} counts sections run; {@code contended} counts sections another thread
 * ran for the caller (combined), with the caller's wait time.
 */
final class FlatCombiningLock extends ProbedLock {
    static final class Record {
        volatile Section request;
        Object state;
        long arg;
        long result;
        long p1, p2, p3, p4, p5;
    }

    private final TtasLock lock;
    private volatile Record[] records = new Record[0];

    FlatCombiningLock(String name, ProbeRegistry probes, Labels labels) {
        super(name, LockKind.FLAT_COMBINING, probes, labels);
        this.lock = new TtasLock(name + "-combiner", probes, labels);
    }

    private synchronized Record register() {
        Record r = new Record();
        Record[] n = Arrays.copyOf(records, records.length + 1);
        n[n.length - 1] = r;
        records = n;
        return r;
    }

    private void combine() {
        for (Record r : records) {
            Section s = r.request;
            if (s != null) {
                r.result = s.run(r.state, r.arg);
                r.state = null;
                r.request = null; // volatile store publishes the result
            }
        }
    }

    @Override
    Handle newHandle(AtomicCounter a, AtomicCounter c, AtomicCounter w) {
        final Record me = register();
        return new Handle(a, c, w) {
            @Override
            public long locked(Section s, Object state, long arg) {
                me.state = state;
                me.arg = arg;
                me.request = s;
                long t0 = 0;
                boolean combinedByOther = false;
                for (int spins = 0; ; spins++) {
                    if (lock.tryAcquire()) {
                        try {
                            combine();
                        } finally {
                            lock.release();
                        }
                    }
                    if (me.request == null) {
                        break;
                    }
                    if (!combinedByOther) {
                        combinedByOther = true;
                        t0 = System.nanoTime();
                    }
                    backoff(spins);
                }
                if (combinedByOther) {
                    countContended(t0);
                } else {
                    countUncontended();
                }
                return me.result;
            }
        };
    }
}
