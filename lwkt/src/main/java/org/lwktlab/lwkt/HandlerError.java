package org.lwktlab.lwkt;

/**
 * A handler (or rollup, hook, IPI function) that threw, as recorded by the kernel.
 *
 * @param cpu     the CPU it ran on
 * @param where   the thread or mechanism
 * @param message the message being handled, described (null if none)
 * @param error   what was thrown
 * @param origin  the message's origin chain with {@code --debug provenance}; null otherwise or when
 *                there was no message
 */
public record HandlerError(int cpu, String where, String message, Throwable error, Origin origin) {
    /** An error with no origin chain. */
    public HandlerError(int cpu, String where, String message, Throwable error) {
        this(cpu, where, message, error, null);
    }

    @Override
    public String toString() {
        String head = "cpu " + cpu + " " + where + (message == null ? "" : " handling " + message) + ": " + error;
        return origin == null ? head : head + "\n" + origin.describe("    ");
    }
}
