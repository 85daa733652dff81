package org.lwktlab.metrics.stat;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.agrona.concurrent.status.CountersReader;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * The per-CPU counters {@code bin/lab stat} needs, read once from a counters file: messages handled,
 * IPIs run, drain passes and the entries they ran, wake-ups skipped, and the largest queue depth of the
 * trailing second.
 *
 * <p>Sources, all labelled {@code cpu}: {@code lwkt_cpu_handled_total}, {@code lwkt_ipi_received_total}
 * (a function counter whose mirror the run's sampler refreshes every tick), the {@code lwkt_ipi_per_drain}
 * histogram's buckets and sum, {@code lwkt_ipi_wakeups_skipped_total}, and the sampler's trailing-second
 * maxima ({@link ProbeRegistry#TYPE_RECENT_MAX}) of {@code lwkt_ipi_queue_depth_max} and every
 * {@code lwkt_port_depth_max} of the CPU.
 *
 * @param nanos      when it was read ({@link System#nanoTime})
 * @param experiment the run's experiment label, or "?"
 * @param design     the run's design label, or "?"
 * @param cpus       counters by CPU number
 */
public record CpuReading(long nanos, String experiment, String design, TreeMap<Integer, Cpu> cpus) {

    /** One CPU's counters (cumulative, except {@code depthMax}). */
    public static final class Cpu {
        public long handled;
        public long ipis;
        public long drains;
        public long drained;
        public long wakeupsSkipped;
        public long depthMax;
    }

    /** Reads every counter of {@code reader}; {@code keys} caches parsed labels across reads. */
    public static CpuReading read(CountersReader reader, Map<String, CounterKey> keys) {
        TreeMap<Integer, Cpu> cpus = new TreeMap<>();
        String[] meta = {"?", "?"};
        long now = System.nanoTime();
        reader.forEach((id, type, keyBuffer, label) -> {
            CounterKey k = keys.computeIfAbsent(label, CpuReading::parseOrNone);
            if (k == NONE) {
                return;
            }
            String cpuLabel = k.label("cpu");
            if (cpuLabel == null) {
                return;
            }
            int cpu;
            try {
                cpu = Integer.parseInt(cpuLabel);
            } catch (NumberFormatException e) {
                return; // cpu="external": threads outside the kernel
            }
            if (meta[0].equals("?") && k.label("experiment") != null) {
                meta[0] = k.label("experiment");
            }
            if (meta[1].equals("?") && k.label("design") != null) {
                meta[1] = k.label("design");
            }
            long v = reader.getCounterValue(id);
            Cpu c = cpus.computeIfAbsent(cpu, x -> new Cpu());
            switch (type) {
                case ProbeRegistry.TYPE_COUNTER -> {
                    switch (k.name()) {
                        case "lwkt_cpu_handled_total" -> c.handled += v;
                        case "lwkt_ipi_wakeups_skipped_total" -> c.wakeupsSkipped += v;
                        default -> { }
                    }
                }
                case ProbeRegistry.TYPE_FUNCTION_COUNTER -> {
                    if (k.name().equals("lwkt_ipi_received_total")) {
                        c.ipis += v;
                    }
                }
                case ProbeRegistry.TYPE_HISTOGRAM_BUCKET -> {
                    if (k.name().equals("lwkt_ipi_per_drain_bucket")) {
                        c.drains += v;
                    }
                }
                case ProbeRegistry.TYPE_HISTOGRAM_SUM -> {
                    if (k.name().equals("lwkt_ipi_per_drain_sum")) {
                        c.drained += v;
                    }
                }
                case ProbeRegistry.TYPE_RECENT_MAX -> {
                    if (k.name().equals("lwkt_ipi_queue_depth_max") || k.name().equals("lwkt_port_depth_max")) {
                        c.depthMax = Math.max(c.depthMax, v);
                    }
                }
                default -> { }
            }
        });
        return new CpuReading(now, meta[0], meta[1], cpus);
    }

    /** A fresh label cache for {@link #read}. */
    public static Map<String, CounterKey> newKeyCache() {
        return new HashMap<>();
    }

    private static final CounterKey NONE = new CounterKey("", Map.of());

    private static CounterKey parseOrNone(String label) {
        CounterKey k = CounterKey.parse(label);
        return k == null ? NONE : k;
    }
}
