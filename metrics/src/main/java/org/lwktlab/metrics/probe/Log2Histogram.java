package org.lwktlab.metrics.probe;

import org.agrona.concurrent.status.AtomicCounter;

/**
 * A distribution of non-negative counts in power-of-two buckets: bucket 0 holds 0, bucket {@code i}
 * holds values in {@code [2^(i-1), 2^i - 1]}, and the last bucket everything above.
 *
 * <p><b>Invariant:</b> one writer. {@link #record} does three release stores into the writer's own
 * padded counters and no read-modify-write on shared memory, so it is cheap enough to run once per
 * drain. Readers may see a bucket updated before {@code count}; {@link #snapshot} therefore derives the
 * count from the buckets it read, so a snapshot is always self-consistent.
 */
public final class Log2Histogram {
    /** Buckets: 0, 1, 2-3, 4-7, ..., 2^14-(2^15-1), and 2^15 and above. */
    public static final int BUCKETS = 17;

    private final AtomicCounter[] buckets;
    private final AtomicCounter sum;

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

    /** Records one value. Owner thread only. */
    public void record(long value) {
        buckets[bucketOf(value)].incrementRelease();
        sum.getAndAddRelease(value);
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
