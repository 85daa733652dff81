package org.lwktlab.lwkt;

/**
 * Set on a message by the code holding it (a subsystem that parked a blocking {@code recv} on a wait
 * list, say) so that an abort request can find it: run on the owning CPU when the abort arrives, it
 * unlinks the message and replies it with {@link Lwkt#replyAborted(Message)} if it still holds it.
 */
@FunctionalInterface
public interface AbortHandler {
    /** Runs on the owning CPU when an abort request for {@code msg} arrives while it is held. */
    void abort(Message msg);
}
