package org.lwktlab.bench.mutex;

/**
 * The state every shared-update design changes: {@code lines} counters, each on its own cache line
 * (with a spare line each side), bumped together by one update — the same shape as the
 * {@code shared-update} experiment's.
 *
 * <p><b>Invariant:</b> one update at a time (a lock, or the one CPU that owns it); then every counter
 * equals {@link #updates()}, which {@link #check} verifies after a run.
 */
public final class SharedLines {
    /** Longs per cache line. */
    static final int LINE = 8;

    private final long[] data;
    private final int lines;
    private long updates;

    /**
     * @param lines cache lines one update touches, at least 1
     */
    public SharedLines(int lines) {
        if (lines < 1) {
            throw new IllegalArgumentException("an update touches at least 1 line, got " + lines);
        }
        this.lines = lines;
        this.data = new long[(lines + 2) * LINE];
    }

    /** One update: every line once. */
    public void update() {
        for (int i = 1; i <= lines; i++) {
            data[i * LINE]++;
        }
        updates++;
    }

    public long updates() {
        return updates;
    }

    /**
     * @throws IllegalStateException if a line missed an update (mutual exclusion broke)
     */
    public void check() {
        for (int i = 1; i <= lines; i++) {
            if (data[i * LINE] != updates) {
                throw new IllegalStateException("line " + i + " holds " + data[i * LINE] + " after " + updates
                        + " updates: an update was lost");
            }
        }
    }
}
