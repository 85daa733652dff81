package org.lwktlab.lwkt;

/**
 * A reply port whose reply just completes the message ({@code replyonly_null}): for static
 * per-object trigger messages sent only when {@code DONE}, so that repeated triggers coalesce into the
 * one in flight (dragonfly.md §6 "adone", §9.19).
 */
public final class NullPort extends Port {
    private static final NullPort INSTANCE = new NullPort();

    private NullPort() {
        super("null");
    }

    /** The shared instance. */
    public static NullPort get() {
        return INSTANCE;
    }

    @Override
    public Cpu owner() {
        return null;
    }

    @Override
    void put(Message msg) {
        throw new IllegalArgumentException("the null port only takes replies");
    }

    @Override
    void reply(Message msg) {
        msg.setFlags(Message.DONE);
    }
}
