package org.lwktlab.stress.ipi;

import org.lwktlab.ipi.IpiFunction;

/**
 * What a consuming CPU saw, in order: an IPI function's {@code arg2} values appended to a small array.
 * Owned by the consuming CPU (its actor), then read by the arbiter, which jcstress orders after it.
 */
final class Recorder {
    /** Appends {@code arg2} to the {@link Recorder} passed as {@code arg}. */
    static final IpiFunction RECORD = (cpu, arg, arg2) -> ((Recorder) arg).add(arg2);

    /** The result codes of {@link #check}. */
    static final int OK = 0;
    static final int LOST = 1;
    static final int DUPLICATE = 2;
    static final int REORDERED = 3;

    private final long[] seen = new long[16];
    private int count;

    void add(long v) {
        if (count == seen.length) {
            throw new AssertionError("more entries ran than were ever sent: " + (count + 1));
        }
        seen[count++] = v;
    }

    int count() {
        return count;
    }

    long valueAt(int i) {
        return seen[i];
    }

    /**
     * Compares what ran with {@code expected} (the values sent, in send order): {@link #OK} when equal,
     * else the first kind of difference.
     */
    int check(long[] expected, int expectedCount) {
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < i; j++) {
                if (seen[i] == seen[j]) {
                    return DUPLICATE;
                }
            }
        }
        if (count > expectedCount) {
            return DUPLICATE;
        }
        for (int i = 0; i < count; i++) {
            if (seen[i] != expected[i]) {
                return contains(expected, expectedCount, seen[i]) ? REORDERED : DUPLICATE;
            }
        }
        return count < expectedCount ? LOST : OK;
    }

    private static boolean contains(long[] a, int n, long v) {
        for (int i = 0; i < n; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }
}
