package org.lwktlab.metrics.probe;

import java.util.function.LongSupplier;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * One registered series, as an exporter sees it. Writers never touch these records; they hold the
 * instrument itself.
 */
public sealed interface ProbeSeries {

    /** The series' identity. */
    MetricId id();

    /**
     * True for per-CPU-pair series (N² of them). Exporters leave them out unless asked, as Seastar does,
     * and export the per-CPU aggregates instead.
     */
    boolean perPair();

    /** A monotonic counter written by one thread. */
    record Counter(MetricId id, AtomicCounter counter, boolean perPair) implements ProbeSeries {
        public long value() {
            return counter.getAcquire();
        }
    }

    /**
     * A monotonic count read from state the mechanism already keeps (a ring index); costs the writer
     * nothing. {@code mirror} holds the last value the exporter read, for attached readers.
     */
    record FunctionCounter(MetricId id, LongSupplier source, AtomicCounter mirror, boolean perPair)
            implements ProbeSeries {
        public long value() {
            return source.getAsLong();
        }
    }

    /** A value that goes up and down (a queue depth), read on demand. */
    record Gauge(MetricId id, LongSupplier source, AtomicCounter mirror, boolean perPair) implements ProbeSeries {
        public long value() {
            return source.getAsLong();
        }
    }

    /** A distribution of small counts (messages per drain) in power-of-two buckets. */
    record Histogram(MetricId id, Log2Histogram histogram, boolean perPair) implements ProbeSeries {}

    /** The largest value seen since the previous scrape, so spikes between scrapes are kept. */
    record HighWater(MetricId id, HighWaterMark mark, boolean perPair) implements ProbeSeries {}

    /** A sampled latency distribution, recorded in nanoseconds. */
    record Latency(MetricId id, LatencyProbe probe, boolean perPair) implements ProbeSeries {}
}
