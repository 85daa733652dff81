package org.lwktlab.lwkt.lock;

import java.util.concurrent.locks.StampedLock;
import org.agrona.concurrent.status.AtomicCounter;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;

/** {@link StampedLock}'s write lock. */
final class StampedWriteLock extends ProbedLock {
    private final StampedLock lock = new StampedLock();

    StampedWriteLock(String name, ProbeRegistry probes, Labels labels) {
        super(name, LockKind.STAMPED, probes, labels);
    }

    @Override
    Handle newHandle(AtomicCounter a, AtomicCounter c, AtomicCounter w) {
        return new Handle(a, c, w) {
            @Override
            public long locked(Section s, Object state, long arg) {
                long stamp = lock.tryWriteLock();
                if (stamp != 0) {
                    countUncontended();
                } else {
                    long t0 = System.nanoTime();
                    stamp = lock.writeLock();
                    countContended(t0);
                }
                try {
                    return s.run(state, arg);
                } finally {
                    lock.unlockWrite(stamp);
                }
            }
        };
    }
}
