package org.lwktlab.lwkt.lock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.agrona.concurrent.status.AtomicCounter;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * CLH queue lock (Craig; Landin and Hagersten): each waiter spins on its <em>predecessor's</em> node.
 * On release a thread clears its node and takes over its predecessor's node for next time, so nodes
 * migrate between handles and none is ever shared by two waiters at once.
 */
final class ClhLock extends ProbedLock {
    static final class Node {
        volatile boolean locked;
        long p1, p2, p3, p4, p5, p6, p7;
    }

    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(ClhLock.class, "tail", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through TAIL
    private volatile Node tail = new Node();

    ClhLock(String name, ProbeRegistry probes, Labels labels) {
        super(name, LockKind.CLH, probes, labels);
    }

    @Override
    Handle newHandle(AtomicCounter a, AtomicCounter c, AtomicCounter w) {
        return new Handle(a, c, w) {
            private Node mine = new Node();

            @Override
            public long locked(Section s, Object state, long arg) {
                Node me = mine;
                me.locked = true;
                Node pred = (Node) TAIL.getAndSet(ClhLock.this, me);
                if (!pred.locked) {
                    countUncontended();
                } else {
                    long t0 = System.nanoTime();
                    for (int spins = 0; pred.locked; spins++) {
                        backoff(spins);
                    }
                    countContended(t0);
                }
                try {
                    return s.run(state, arg);
                } finally {
                    me.locked = false;
                    mine = pred;
                }
            }
        };
    }
}
