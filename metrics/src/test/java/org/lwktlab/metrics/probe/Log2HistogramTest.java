package org.lwktlab.metrics.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class Log2HistogramTest {
    private final ProbeRegistry registry = ProbeRegistry.inMemory();
    private final Log2Histogram h = registry.histogram("lwkt_test_per_run", "test", Labels.empty());
    private final long[] t = Log2Histogram.newTally();

    private static long[] counts(long... byBucket) {
        long[] c = new long[Log2Histogram.BUCKETS];
        for (int i = 0; i + 1 < byBucket.length; i += 2) {
            c[(int) byBucket[i]] = byBucket[i + 1];
        }
        return c;
    }

    @Test
    void bucketsArePowersOfTwo() {
        assertEquals(0, Log2Histogram.bucketOf(0));
        assertEquals(1, Log2Histogram.bucketOf(1));
        assertEquals(2, Log2Histogram.bucketOf(3));
        assertEquals(3, Log2Histogram.bucketOf(4));
        assertEquals(Log2Histogram.BUCKETS - 1, Log2Histogram.bucketOf(Long.MAX_VALUE));
    }

    @Test
    void tallyIsInvisibleUntilPublishedThenExactOnce() {
        Log2Histogram.tally(t, 1);
        Log2Histogram.tally(t, 1);
        Log2Histogram.tally(t, 5);
        Log2Histogram.tally(t, 0);
        assertEquals(4, Log2Histogram.count(t));
        Log2Histogram.Snapshot before = h.snapshot();
        assertEquals(0, before.count());
        assertEquals(0, before.sum());

        assertEquals(7, h.publish(t), "publish returns the sum it published");
        Log2Histogram.Snapshot after = h.snapshot();
        assertArrayEquals(counts(0, 1, 1, 2, 3, 1), after.counts());
        assertEquals(4, after.count());
        assertEquals(7, after.sum());

        assertEquals(0, h.publish(t), "nothing tallied since: nothing published twice");
        assertEquals(4, h.snapshot().count());
    }

    @Test
    void recordAndTallyAddUp() {
        h.record(2);
        Log2Histogram.tally(t, 2);
        Log2Histogram.tally(t, 1000);
        h.publish(t);
        h.record(40_000);
        Log2Histogram.Snapshot s = h.snapshot();
        assertArrayEquals(counts(2, 2, 10, 1, Log2Histogram.BUCKETS - 1, 1), s.counts());
        assertEquals(41_004, s.sum());
    }

    @Test
    void aTallyPublishesWhatRecordingEachValueWouldHave() {
        // values in the tally's exact slots, at their edge, above it, and far above
        Log2Histogram recorded = registry.histogram("lwkt_test_recorded", "test", Labels.empty());
        java.util.Random r = new java.util.Random(42);
        for (int i = 0; i < 10_000; i++) {
            long v = switch (i % 4) {
                case 0 -> r.nextInt(Log2Histogram.EXACT);
                case 1 -> Log2Histogram.EXACT - 1 + r.nextInt(3);
                case 2 -> r.nextInt(5_000);
                default -> r.nextLong(1L << 40);
            };
            recorded.record(v);
            Log2Histogram.tally(t, v);
        }
        assertEquals(10_000, Log2Histogram.count(t));
        h.publish(t);
        assertEquals(0, Log2Histogram.count(t), "a publish clears the tally");
        assertArrayEquals(recorded.snapshot().counts(), h.snapshot().counts());
        assertEquals(recorded.snapshot().sum(), h.snapshot().sum());
    }
}
