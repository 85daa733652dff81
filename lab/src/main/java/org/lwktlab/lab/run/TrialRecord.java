package org.lwktlab.lab.run;

import java.util.List;
import java.util.Map;
import org.lwktlab.lab.experiment.Check;

/**
 * One trial's result, as written to {@code results.json}.
 *
 * @param design      the design run
 * @param cpus        simulated CPUs (or threads, for a mutex design)
 * @param trial       trial number, from 1
 * @param order       position in the run's interleaved order, from 1
 * @param pinned      whether the CPU threads were pinned
 * @param ops         operations in the measured window
 * @param elapsedS    measured window, seconds
 * @param opsPerSec   throughput
 * @param latencyNs   latency percentiles of the window
 * @param derived     the "why" figures: messages per drain, wake-ups skipped, contention, ...
 * @param perOp       every counter's increase divided by {@code ops}: cost per operation, amortised
 * @param counters    every counter's increase over the window
 * @param checks      correctness checks
 */
public record TrialRecord(String design, int cpus, int trial, int order, boolean pinned, long ops, double elapsedS,
                          double opsPerSec, Latency latencyNs, Map<String, Double> derived, Map<String, Double> perOp,
                          Map<String, Long> counters, List<Check> checks) {

    /** True if every check held. */
    public boolean ok() {
        return checks.stream().allMatch(Check::ok);
    }

    /**
     * Latency percentiles in nanoseconds.
     */
    public record Latency(long count, double mean, long p50, long p90, long p99, long p999, long max) {
        static Latency of(org.HdrHistogram.Histogram h) {
            if (h.getTotalCount() == 0) {
                return new Latency(0, 0, 0, 0, 0, 0, 0);
            }
            return new Latency(h.getTotalCount(), h.getMean(), h.getValueAtPercentile(50), h.getValueAtPercentile(90),
                    h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue());
        }
    }
}
