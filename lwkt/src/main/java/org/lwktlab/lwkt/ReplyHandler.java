package org.lwktlab.lwkt;

/**
 * A continuation run when a message sent with a {@link CallbackPort} as its reply port is replied.
 * It runs on the port's CPU in the owning thread's context (never inside an IPI), after
 * {@link Message#isDone()} became true; the message belongs to the originator again.
 */
@FunctionalInterface
public interface ReplyHandler {
    void replied(Message msg);
}
