package org.lwktlab.lwkt;

import java.util.concurrent.locks.LockSupport;

/**
 * The reply port for threads outside the kernel: a reply marks the message {@code DONE} and unparks
 * the thread waiting in {@link Lwkt#waitmsg}. Stateless, so one instance serves every thread.
 *
 * <p><b>Protocol:</b> the replier stores {@code DONE} (volatile) then reads the waiter; the waiter
 * stores itself (volatile) then reads {@code DONE}. One of them sees the other: no missed reply.
 */
public final class WaitPort extends Port {
    private static final WaitPort INSTANCE = new WaitPort();

    private WaitPort() {
        super("wait");
    }

    /** The shared instance. */
    public static WaitPort get() {
        return INSTANCE;
    }

    @Override
    public Cpu owner() {
        return null;
    }

    @Override
    void put(Message msg) {
        throw new IllegalArgumentException("the wait port only takes replies; send requests to a ThreadPort");
    }

    @Override
    void reply(Message msg) {
        msg.setFlagsVolatile(Message.DONE);
        Thread w = msg.waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }
}
