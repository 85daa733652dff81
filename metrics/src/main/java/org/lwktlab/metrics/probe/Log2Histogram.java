package org.lwktlab.metrics.probe;

import org.agrona.concurrent.status.AtomicCounter;

/**
 * A distribution of non-negative counts in power-of-two buckets: bucket 0 holds 0, bucket {@code i}
 * holds values in {@code [2^(i-1), 2^i - 1]}, and the last bucket everything above.
 *
 * <p><b>Invariant:</b> one writer. {@link #record} does two release stores into the writer's own
 * padded counters and no read-modify-write on shared memory. Readers may see a bucket updated before
 * {@code sum}; {@link #snapshot} therefore derives the count from the buckets it read, so a snapshot
 * is always self-consistent.
 *
 * <p><b>Deferred recording.</b> A writer on a hot path (a CPU recording every thread run) keeps a
 * tally instead ({@link #newTally}, {@link #tally(long[], long)}): plain adds into owner-only memory,
 * published to the counters by {@link #publish(long[])}, which the owner calls now and then (see
 * {@code IpiFabric.PUBLISH_STEPS}). Until
 * then readers see the histogram as of the last publish; nothing tallied is lost, and a value is never
 * published twice.
 */
public final class Log2Histogram {
    /** Buckets: 0, 1, 2-3, 4-7, ..., 2^14-(2^15-1), and 2^15 and above. */
    public static final int BUCKETS = 17;

    private final AtomicCounter[] buckets;
    private final AtomicCounter sum;
    /** Longs of padding on each side of the tally: two cache lines. */
    private static final int PAD = 16;
    /** Index of the tallied sum in a tally ({@link #newTally}), after the buckets. */
    private static final int SUM = PAD + BUCKETS;

    Log2Histogram(AtomicCounter[] buckets, AtomicCounter sum) {
        if (buckets.length != BUCKETS) {
            throw new IllegalArgumentException("need " + BUCKETS + " buckets, got " + buckets.length);
        }
        this.buckets = buckets;
        this.sum = sum;
    }

    /** The bucket a value falls in. */
    public static int bucketOf(long value) {
        if (value <= 0) {
            return 0;
        }
        int b = 64 - Long.numberOfLeadingZeros(value);
        return Math.min(b, BUCKETS - 1);
    }

    /** The largest value bucket {@code i} holds ({@code Long.MAX_VALUE} for the last). */
    public static long upperBound(int bucket) {
        if (bucket >= BUCKETS - 1) {
            return Long.MAX_VALUE;
        }
        return bucket == 0 ? 0 : (1L << bucket) - 1;
    }

    /** Records one value, visible to readers at once. Owner thread only. */
    public void record(long value) {
        buckets[bucketOf(value)].incrementRelease();
        sum.getAndAddRelease(value);
    }

    /**
     * A tally: counts an owner keeps in its own memory until it {@link #publish(long[]) publishes} them,
     * held beside its other counts (no line of the histogram's to reach on its hot path), padded on
     * both sides so that two owners' tallies never share a line.
     */
    public static long[] newTally() {
        return new long[SUM + 1 + PAD];
    }

    /** Values recorded in the owner's {@code tally} since its last publish. Owner thread only. */
    public static long count(long[] tally) {
        long n = 0;
        for (int b = 0; b < BUCKETS; b++) {
            n += tally[PAD + b];
        }
        return n;
    }

    /** Records one value in the owner's {@code tally}. Owner thread only. */
    public static void tally(long[] tally, long value) {
        tally[PAD + bucketOf(value)]++;
        tally[SUM] += value;
    }

    /**
     * Adds the owner's {@code tally} (from {@link #newTally}) to the counters and clears it. Owner
     * thread only; one tally per histogram.
     *
     * @return the sum of the values it published (0 when nothing was tallied)
     */
    public long publish(long[] tally) {
        for (int b = 0; b < BUCKETS; b++) {
            final long c = tally[PAD + b];
            if (c != 0) {
                buckets[b].getAndAddRelease(c);
                tally[PAD + b] = 0;
            }
        }
        final long s = tally[SUM];
        if (s != 0) {
            sum.getAndAddRelease(s);
            tally[SUM] = 0;
        }
        return s;
    }

    /** A consistent copy for an exporter. */
    public Snapshot snapshot() {
        long[] counts = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = buckets[i].getAcquire();
            total += counts[i];
        }
        return new Snapshot(counts, total, sum.getAcquire());
    }

    /**
     * A histogram read at one moment.
     *
     * @param counts per-bucket counts (not cumulative)
     * @param count  number of values recorded
     * @param sum    sum of the values recorded (may run slightly ahead of {@code counts})
     */
    public record Snapshot(long[] counts, long count, long sum) {
        /** Mean value, or 0 when empty. */
        public double mean() {
            return count == 0 ? 0.0 : (double) sum / count;
        }

        /** An upper bound of the q-quantile (0..1), from bucket boundaries. */
        public long quantileUpperBound(double q) {
            if (count == 0) {
                return 0;
            }
            long rank = (long) Math.ceil(q * count);
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return upperBound(i);
                }
            }
            return upperBound(counts.length - 1);
        }
    }
}
