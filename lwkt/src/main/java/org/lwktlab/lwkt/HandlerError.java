package org.lwktlab.lwkt;

/**
 * A handler (or rollup, hook, IPI function) that threw, as recorded by the kernel.
 *
 * @param cpu     the CPU it ran on
 * @param where   the thread or mechanism
 * @param message the message being handled, described (null if none)
 * @param error   what was thrown
 */
public record HandlerError(int cpu, String where, String message, Throwable error) {
    @Override
    public String toString() {
        return "cpu " + cpu + " " + where + (message == null ? "" : " handling " + message) + ": " + error;
    }
}
