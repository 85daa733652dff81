package org.lwktlab.lwkt.lock;

import java.util.concurrent.locks.ReentrantLock;
import org.agrona.concurrent.status.AtomicCounter;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * {@link ReentrantLock}, fair or unfair. The unfair one is tried first ({@code tryLock}); the fair one
 * must not be (its {@code tryLock} barges), so contention is read from its state instead.
 */
final class JucLock extends ProbedLock {
    private final ReentrantLock lock;
    private final boolean fair;

    JucLock(String name, LockKind kind, ProbeRegistry probes, Labels labels, boolean fair) {
        super(name, kind, probes, labels);
        this.lock = new ReentrantLock(fair);
        this.fair = fair;
    }

    @Override
    Handle newHandle(AtomicCounter a, AtomicCounter c, AtomicCounter w) {
        return new Handle(a, c, w) {
            @Override
            public long locked(Section s, Object state, long arg) {
                if (fair ? !lock.isLocked() && !lock.hasQueuedThreads() && lockNow() : lock.tryLock()) {
                    countUncontended();
                } else {
                    long t0 = System.nanoTime();
                    lock.lock();
                    countContended(t0);
                }
                try {
                    return s.run(state, arg);
                } finally {
                    lock.unlock();
                }
            }
        };
    }

    private boolean lockNow() {
        lock.lock();
        return true;
    }
}
