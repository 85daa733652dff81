package org.lwktlab.lwkt;

/**
 * A reply port that runs a continuation ({@link ReplyHandler}) in its owning thread's context when a
 * reply arrives — DragonFly's {@code replyonly(fn)} port, and how a handler that may not block
 * "waits": it sends with a callback port and continues in the callback.
 *
 * <p>Replies are queued on the owning thread's port and dispatched in order with its other messages,
 * never inside an IPI function. Requests cannot be sent to it.
 */
public final class CallbackPort extends OwnedPort {
    private final ReplyHandler handler;

    CallbackPort(String name, LwktThread td, ReplyHandler handler) {
        super(name, td);
        this.handler = handler;
    }

    @Override
    void put(Message msg) {
        throw new IllegalArgumentException("callback port '" + name() + "' only takes replies; send requests to a ThreadPort");
    }

    @Override
    void reply(Message msg) {
        route(msg, Message.OP_REPLY);
    }

    @Override
    void replyLocal(Message m) {
        if (chase(m, Message.OP_REPLY)) {
            return;
        }
        td.port.completeReply(m, this);
    }

    @Override
    void dispatch(Message msg) {
        handler.replied(msg);
    }
}
