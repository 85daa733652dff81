package org.lwktlab.lab.stats;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.lwktlab.lab.run.TrialRecord;

/**
 * A figure of a trial that can be compared between designs: its key, its name for people, which way
 * is better, and how to read it off a {@link TrialRecord}.
 *
 * @param key       the key in results ({@code ops_per_sec}, {@code latency_p99_ns}, or a derived key)
 * @param label     the name in tables
 * @param direction which way is better
 * @param value     the trial's value, or null where the trial has none
 */
public record Metric(String key, String label, Direction direction, Function<TrialRecord, Double> value) {
    /** Which way a metric is better. */
    public enum Direction { HIGHER_IS_BETTER, LOWER_IS_BETTER, NEUTRAL }

    public static final Metric THROUGHPUT = new Metric("ops_per_sec", "throughput", Direction.HIGHER_IS_BETTER,
            TrialRecord::opsPerSec);
    public static final Metric P50 = latency("latency_p50_ns", "latency p50", r -> r.latencyNs().p50());
    public static final Metric P90 = latency("latency_p90_ns", "latency p90", r -> r.latencyNs().p90());
    public static final Metric P99 = latency("latency_p99_ns", "latency p99", r -> r.latencyNs().p99());
    public static final Metric P999 = latency("latency_p999_ns", "latency p99.9", r -> r.latencyNs().p999());

    /** The headline metrics: throughput and latency percentiles. */
    public static final List<Metric> HEADLINE = List.of(THROUGHPUT, P50, P90, P99, P999);

    /** Names and directions of the derived figures the runner computes (others are neutral). */
    private static final Map<String, Metric> KNOWN_DERIVED = Map.of(
            "ipi_per_drain", derived("ipi_per_drain", "IPIs per drain", Direction.NEUTRAL),
            "msgs_per_run", derived("msgs_per_run", "messages per port run", Direction.NEUTRAL),
            "wakeups_skipped_ratio", derived("wakeups_skipped_ratio", "wake-ups skipped", Direction.NEUTRAL),
            "ipis_per_op", derived("ipis_per_op", "IPIs per op", Direction.LOWER_IS_BETTER),
            "wakeups_per_op", derived("wakeups_per_op", "wake-ups per op", Direction.LOWER_IS_BETTER),
            "lock_acquisitions_per_op", derived("lock_acquisitions_per_op", "lock acquisitions per op",
                    Direction.LOWER_IS_BETTER),
            "lock_contended_ratio", derived("lock_contended_ratio", "contended acquisitions", Direction.LOWER_IS_BETTER));

    private static Metric latency(String key, String label, Function<TrialRecord, Long> f) {
        return new Metric(key, label, Direction.LOWER_IS_BETTER, r -> r.latencyNs().count() == 0 ? null : (double) f.apply(r));
    }

    /** The derived figure {@code key} (see TrialRecord#derived). */
    public static Metric derived(String key) {
        Metric m = KNOWN_DERIVED.get(key);
        return m != null ? m : derived(key, key.replace('_', ' '), Direction.NEUTRAL);
    }

    private static Metric derived(String key, String label, Direction d) {
        return new Metric(key, label, d, r -> r.derived().get(key));
    }

    /** The headline metrics, then every derived figure that both groups' trials carry. */
    public static List<Metric> comparable(List<TrialRecord> a, List<TrialRecord> b) {
        List<Metric> out = new ArrayList<>(HEADLINE);
        Set<String> keys = new LinkedHashSet<>();
        a.forEach(r -> keys.addAll(r.derived().keySet()));
        Set<String> inB = new LinkedHashSet<>();
        b.forEach(r -> inB.addAll(r.derived().keySet()));
        keys.retainAll(inB);
        keys.forEach(k -> out.add(derived(k)));
        return out;
    }
}
