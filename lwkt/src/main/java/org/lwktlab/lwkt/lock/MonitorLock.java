package org.lwktlab.lwkt.lock;

import org.agrona.concurrent.status.AtomicCounter;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * A Java monitor. A monitor cannot be tried, so contention is detected by a volatile "held" flag the
 * holder sets: a thread that sees it set counts a contended acquisition and times its wait.
 */
final class MonitorLock extends ProbedLock {
    private final Object monitor = new Object();
    private volatile boolean held;

    MonitorLock(String name, ProbeRegistry probes, Labels labels) {
        super(name, LockKind.SYNCHRONIZED, probes, labels);
    }

    @Override
    Handle newHandle(AtomicCounter a, AtomicCounter c, AtomicCounter w) {
        return new Handle(a, c, w) {
            @Override
            public long locked(Section s, Object state, long arg) {
                boolean busy = held;
                long t0 = busy ? System.nanoTime() : 0;
                synchronized (monitor) {
                    held = true;
                    try {
                        if (busy) {
                            countContended(t0);
                        } else {
                            countUncontended();
                        }
                        return s.run(state, arg);
                    } finally {
                        held = false;
                    }
                }
            }
        };
    }
}
