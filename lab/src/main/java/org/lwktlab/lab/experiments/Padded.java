package org.lwktlab.lab.experiments;

/**
 * Per-thread counters in one {@code long[]}, one cache line apart, so that the threads (each on its own
 * CPU, the only writer of its slot) never share a line: slot {@code i} is {@code a[i * LINE]}. Read the
 * totals only once the writers stopped.
 */
final class Padded {
    /** Longs per cache line (64 bytes). */
    static final int LINE = 8;

    private Padded() {}

    /** A counter array for {@code slots} writers. */
    static long[] counters(int slots) {
        return new long[slots * LINE];
    }

    /** The sum over every slot. */
    static long sum(long[] padded) {
        long s = 0;
        for (int i = 0; i < padded.length; i += LINE) {
            s += padded[i];
        }
        return s;
    }
}
