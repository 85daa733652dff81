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
 * {@code IpiFabric.PUBLISH_STEPS}). Until then readers see the histogram as of the last publish;
 * nothing tallied is lost, and a value is never published twice. A tally counts each value below
 * {@link #EXACT} in a slot of its own — one add, no bucket arithmetic, and no running sum, which the
 * publish works out from the slots exactly — and only larger values into buckets and a sum: the
 * values a hot path tallies (messages per run, entries per drain) are nearly all small.
 */
public final class Log2Histogram {
    /** Buckets: 0, 1, 2-3, 4-7, ..., 2^14-(2^15-1), and 2^15 and above. */
    public static final int BUCKETS = 17;

    private final AtomicCounter[] buckets;
    private final AtomicCounter sum;
    /** Values below this are tallied each in a slot of its own ({@link #tally(long[], long)}). */
    public static final int EXACT = 64;
    /** Longs of padding on each side of the tally: two cache lines. */
    private static final int PAD = 16;
    /** Index in a tally of the slot of value 0; value {@code v < EXACT} is at {@code SMALL + v}. */
    private static final int SMALL = PAD;
    /** Index in a tally of bucket 0 of the values of {@link #EXACT} and above. */
    private static final int LARGE = SMALL + EXACT;
    /** Index in a tally of the sum of the values of {@link #EXACT} and above. */
    private static final int LARGE_SUM = LARGE + BUCKETS;

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
        return new long[LARGE_SUM + 1 + PAD];
    }

    /** Values recorded in the owner's {@code tally} since its last publish. Owner thread only. */
    public static long count(long[] tally) {
        long n = 0;
        for (int i = SMALL; i < LARGE_SUM; i++) {
            n += tally[i];
        }
        return n;
    }

    /** Records one value in the owner's {@code tally} (a negative one counts as 0 in bucket 0). Owner thread only. */
    public static void tally(long[] tally, long value) {
        if (Long.compareUnsigned(value, EXACT) < 0) { // 0 <= value < EXACT, in one compare
            tally[SMALL + (int) value]++;
        } else {
            tallyLarge(tally, value);
        }
    }

    /**
     * Records {@code times} occurrences of {@code value} (≥ 0) in the owner's {@code tally} at once: for
     * an owner that counts its most common value in a field of its own and folds it in before a
     * publish. Owner thread only.
     */
    public static void tally(long[] tally, long value, long times) {
        if (times == 0) {
            return;
        }
        if (Long.compareUnsigned(value, EXACT) < 0) {
            tally[SMALL + (int) value] += times;
        } else {
            tally[LARGE + bucketOf(value)] += times;
            tally[LARGE_SUM] += value * times;
        }
    }

    private static void tallyLarge(long[] tally, long value) {
        tally[LARGE + bucketOf(value)]++;
        tally[LARGE_SUM] += value;
    }

    /**
     * Adds the owner's {@code tally} (from {@link #newTally}) to the counters and clears it. Owner
     * thread only; one tally per histogram.
     *
     * @return the sum of the values it published (0 when nothing was tallied)
     */
    public long publish(long[] tally) {
        long sum = tally[LARGE_SUM];
        tally[LARGE_SUM] = 0;
        for (int b = 0; b < BUCKETS; b++) {
            long c = tally[LARGE + b];
            tally[LARGE + b] = 0;
            // the exact slots of this bucket's values: [2^(b-1), 2^b - 1] (bucket 0: just 0)
            final int lo = b == 0 ? 0 : 1 << (b - 1);
            final int hi = b == 0 ? 0 : Math.min((1 << b) - 1, EXACT - 1);
            for (int v = lo; v <= hi && v < EXACT; v++) {
                final long n = tally[SMALL + v];
                if (n != 0) {
                    c += n;
                    sum += n * v;
                    tally[SMALL + v] = 0;
                }
            }
            if (c != 0) {
                buckets[b].getAndAddRelease(c);
            }
        }
        if (sum != 0) {
            this.sum.getAndAddRelease(sum);
        }
        return sum;
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
