package org.lwktlab.lab.run;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.lwktlab.lab.experiment.Check;
import org.lwktlab.metrics.sample.ProbeWindow;
import org.lwktlab.metrics.sample.Timeline;

/**
 * One trial's result, as written to {@code results.json} (schema in docs/results-schema.md).
 *
 * @param design           the design run
 * @param cpus             simulated CPUs (or threads, for a mutex design)
 * @param trial            trial number, from 1
 * @param order            position in the run's interleaved order, from 1
 * @param pinned           whether the CPU threads were pinned
 * @param ops              operations in the measured window
 * @param elapsedS         measured window, seconds
 * @param opsPerSec        throughput
 * @param latencyNs        latency percentiles of the window
 * @param derived          the "why" figures: messages per drain, wake-ups skipped, contention, ...
 * @param perOp            every counter's increase divided by {@code ops}: cost per operation, amortised
 * @param counters         every counter's increase over the window
 * @param checks           correctness checks
 * @param probes           every probe series' figure for the window, by series key without the
 *                         {@code experiment}/{@code design} labels (see {@link ProbeWindow}): counter increases
 *                         ({@code *_seconds_total} in seconds), histogram {@code _count}/{@code _sum}, gauges at
 *                         the end with their sampled {@code _sampled} quantiles, high-water marks' window maxima,
 *                         latency quantiles in seconds
 * @param timeline         queue depth over the trial (warm-up included; times in seconds from the start of the
 *                         measured window): every depth gauge and high-water mark, column form ({@link Timeline})
 * @param offeredRate      open loop: the offered load, operations/s in total; null for closed loop
 * @param latencyHistogram the window's whole latency distribution: an HdrHistogram in its compressed
 *                         encoding, base64 (null when nothing was recorded); see {@link #histogram()}
 */
public record TrialRecord(String design, int cpus, int trial, int order, boolean pinned, long ops, double elapsedS,
                          double opsPerSec, Latency latencyNs, Map<String, Double> derived, Map<String, Double> perOp,
                          Map<String, Long> counters, List<Check> checks, Map<String, Number> probes,
                          Timeline timeline, Double offeredRate, String latencyHistogram) {

    /** True if every check held. */
    public boolean ok() {
        return checks.stream().allMatch(Check::ok);
    }

    /** The design, CPU count and offered load this trial belongs to (what trials are grouped by). */
    public GroupKey group() {
        return new GroupKey(design, cpus, offeredRate);
    }

    /** The decoded latency distribution, or an empty one. */
    public Histogram histogram() {
        if (latencyHistogram == null || latencyHistogram.isEmpty()) {
            return new Histogram(3);
        }
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(latencyHistogram)), 0);
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new IllegalArgumentException("trial " + order + " (" + design + "): latency_histogram is not a valid "
                    + "compressed HdrHistogram: " + e.getMessage(), e);
        }
    }

    /** {@code h} in the form {@link #latencyHistogram} holds. */
    static String encode(Histogram h) {
        if (h.getTotalCount() == 0) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int len = h.encodeIntoCompressedByteBuffer(buf);
        byte[] bytes = new byte[len];
        buf.flip();
        buf.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * What trials are grouped by: a design at a CPU count and offered load.
     *
     * @param rate offered load (open loop), or null for closed loop
     */
    public record GroupKey(String design, int cpus, Double rate) {}

    /**
     * Latency percentiles in nanoseconds.
     */
    public record Latency(long count, double mean, long p50, long p90, long p99, long p999, long max) {
        static Latency of(Histogram h) {
            if (h.getTotalCount() == 0) {
                return new Latency(0, 0, 0, 0, 0, 0, 0);
            }
            return new Latency(h.getTotalCount(), h.getMean(), h.getValueAtPercentile(50), h.getValueAtPercentile(90),
                    h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue());
        }
    }
}
