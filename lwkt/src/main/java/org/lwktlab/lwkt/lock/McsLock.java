package org.lwktlab.lwkt.lock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.agrona.concurrent.status.AtomicCounter;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * MCS queue lock (Mellor-Crummey and Scott, 1991): waiters form a queue through their own nodes and
 * each spins on its own node's flag, so a hand-off touches one waiter's cache line. Each handle owns
 * one node and reuses it.
 *
 * <p><b>Invariants:</b> {@code tail} is the last waiter's node or null; a node is in the queue at most
 * once (one handle, one thread); the holder releases by clearing its successor's {@code locked}, or by
 * swinging {@code tail} back to null when it has none.
 */
final class McsLock extends ProbedLock {
    static final class Node {
        volatile Node next;
        volatile boolean locked;
        long p1, p2, p3, p4, p5, p6; // keep two nodes off one line
    }

    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(McsLock.class, "tail", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through TAIL
    private volatile Node tail;

    McsLock(String name, ProbeRegistry probes, Labels labels) {
        super(name, LockKind.MCS, probes, labels);
    }

    @Override
    Handle newHandle(AtomicCounter a, AtomicCounter c, AtomicCounter w) {
        final Node me = new Node();
        return new Handle(a, c, w) {
            @Override
            public long locked(Section s, Object state, long arg) {
                me.next = null;
                Node pred = (Node) TAIL.getAndSet(McsLock.this, me);
                if (pred == null) {
                    countUncontended();
                } else {
                    long t0 = System.nanoTime();
                    me.locked = true;
                    pred.next = me;
                    for (int spins = 0; me.locked; spins++) {
                        backoff(spins);
                    }
                    countContended(t0);
                }
                try {
                    return s.run(state, arg);
                } finally {
                    Node succ = me.next;
                    if (succ == null) {
                        if (!TAIL.compareAndSet(McsLock.this, me, null)) {
                            for (int spins = 0; (succ = me.next) == null; spins++) {
                                backoff(spins);
                            }
                            succ.locked = false;
                        }
                    } else {
                        succ.locked = false;
                    }
                }
            }
        };
    }
}
