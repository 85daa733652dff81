package org.lwktlab.lwkt;

/**
 * Run on a thread's CPU when the kernel shuts down, after every queue has drained: the thread replies
 * every message it still holds (parked requests, say, with {@link Errno#ESHUTDOWN}), so that nothing
 * is lost and no waiter hangs.
 */
@FunctionalInterface
public interface ShutdownHook {
    void onShutdown(LwktThread td);
}
