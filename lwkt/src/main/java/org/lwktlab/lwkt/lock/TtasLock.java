package org.lwktlab.lwkt.lock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.agrona.concurrent.status.AtomicCounter;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * Test-and-test-and-set spin lock: spin reading until free, then CAS; back off to yielding so a
 * preempted holder can run on an oversubscribed machine. Released by a plain release store.
 */
final class TtasLock extends ProbedLock {
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(TtasLock.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through STATE
    private volatile int state;

    TtasLock(String name, ProbeRegistry probes, Labels labels) {
        super(name, LockKind.TTAS, probes, labels);
    }

    boolean tryAcquire() {
        return (int) STATE.getAcquire(this) == 0 && STATE.compareAndSet(this, 0, 1);
    }

    void acquireSlow() {
        for (int spins = 0; !tryAcquire(); spins++) {
            backoff(spins);
        }
    }

    void release() {
        STATE.setRelease(this, 0);
    }

    @Override
    Handle newHandle(AtomicCounter a, AtomicCounter c, AtomicCounter w) {
        return new Handle(a, c, w) {
            @Override
            public long locked(Section s, Object st, long arg) {
                if (tryAcquire()) {
                    countUncontended();
                } else {
                    long t0 = System.nanoTime();
                    acquireSlow();
                    countContended(t0);
                }
                try {
                    return s.run(st, arg);
                } finally {
                    release();
                }
            }
        };
    }
}
