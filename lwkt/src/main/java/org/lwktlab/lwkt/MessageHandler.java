package org.lwktlab.lwkt;

/**
 * The code an {@link LwktThread} runs for each message queued at its port: requests, and replies to
 * messages it sent with its own port as the reply port ({@link Message#isReply()} tells them apart).
 *
 * <p>Runs on the thread's CPU, to completion, and never blocks: it replies, forwards, sends more
 * messages, or keeps the message (to reply later) — but must then not throw. A handler that throws
 * does not stop its CPU: the exception is recorded and an unreplied request is replied
 * {@link Errno#EHANDLER}.
 */
@FunctionalInterface
public interface MessageHandler {
    void handle(Message msg);
}
