package org.lwktlab.bench;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One benchmark's result as the table needs it: medians over every measured iteration of every fork.
 *
 * @param benchmark  {@code Class.method} (or {@code Class.group}), e.g. {@code RoundTrip.cacheLine}
 * @param params     its JMH parameters
 * @param score      median of the primary score
 * @param unit       the primary score's unit ({@code ns/op}, {@code ops/s})
 * @param secondary  medians of the secondary scores that matter here: the {@code messages} counter of
 *                   a group benchmark and {@code gc.alloc.rate.norm} (B/op) from {@code -prof gc}
 * @param samples    measured iterations the medians are taken over
 */
public record Measured(String benchmark, SortedMap<String, String> params, double score, String unit,
                       Map<String, Double> secondary, long samples) {
    /** The secondary score {@code gc.alloc.rate.norm}. */
    public static final String ALLOC_NORM = "gc.alloc.rate.norm";
    /** The {@code messages} counter of the one-way benchmarks. */
    public static final String MESSAGES = "messages";
    /**
     * Bytes allocated per operation by the benchmark's own threads (kernel CPUs and caller), where a
     * benchmark reports it ({@code support.KernelThreadAlloc}).
     */
    public static final String THREAD_BYTES_PER_OP = "threadBytesPerOp";
    /** CPU nanoseconds per operation ({@code research.KernelCpuTime}), where a benchmark reports it. */
    public static final String CPU_NS_PER_OP = "cpuNsPerOp";
    /** Probes on / off throughput of a {@code ProbeOverhead} workload ({@code probes.OnOff}). */
    public static final String ON_OFF = "onOff";
    /**
     * Probes on / off of a {@code ProbeOverhead} workload as the median of its rounds' ratios
     * ({@code probes.OnOff#onOffPairs}): the figure its target is judged on.
     */
    public static final String ON_OFF_ROUNDS = "onOffPairs";
    /** Operations per second with probes on, of a {@code ProbeOverhead} workload. */
    public static final String ON_RATE = "onPerSecond";
    /** Operations per second with probes off, of a {@code ProbeOverhead} workload. */
    public static final String OFF_RATE = "offPerSecond";

    public Measured {
        Objects.requireNonNull(benchmark, "benchmark");
        params = new TreeMap<>(params);
        secondary = Map.copyOf(secondary);
    }

    /** True if this row has parameter {@code key} = {@code value}. */
    public boolean has(String key, String value) {
        return value.equals(params.get(key));
    }

    /** A secondary median, or NaN if it was not measured. */
    public double secondary(String name) {
        Double v = secondary.get(name);
        return v == null ? Double.NaN : v;
    }

    /** Bytes allocated per primary operation (NaN without {@code -prof gc}). */
    public double allocPerOp() {
        return secondary(ALLOC_NORM);
    }

    /** {@code a=1, b=x}, or empty. */
    public String paramText() {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
