package org.lwktlab.lab.experiments;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * Per-operation-type counts and latencies for a workload whose operations are of several kinds, over the
 * same measured window the runner uses: the window opens when the warm-up ends (a timer started with the
 * load) and closes when {@code stop()} begins. Each client writes only its own slots (single writer: a
 * release store, no read-modify-write) and its own HdrHistogram recorders; the window reads them from
 * outside. Also snapshots counters (by name prefix) at both ends, for ratios such as copies per byte.
 */
final class OpWindow {
    private static final long HIGHEST = 100_000_000_000L;

    private final String[] types;
    private final int clients;
    private final AtomicLongArray counts;
    private final SingleWriterRecorder[] latency;
    private final ProbeRegistry probes;
    private final String counterPrefix;
    private long[] begin;
    private long beginNanos;
    private Map<String, Long> beginCounters;
    private final Histogram[] windowLatency;
    private Map<String, Double> result;
    private Map<String, Long> counterDelta;
    private double seconds;
    private Thread timer;

    OpWindow(String[] types, int clients, ProbeRegistry probes, String counterPrefix) {
        this.types = types;
        this.clients = clients;
        this.counts = new AtomicLongArray(types.length * clients);
        this.latency = new SingleWriterRecorder[types.length * clients];
        this.windowLatency = new Histogram[types.length];
        for (int i = 0; i < latency.length; i++) {
            latency[i] = new SingleWriterRecorder(1, HIGHEST, 2);
        }
        this.probes = probes;
        this.counterPrefix = counterPrefix;
    }

    /** Client {@code c} finished an operation of type {@code type} that took {@code nanos}. Client only. */
    void record(int c, int type, long nanos) {
        int i = c * types.length + type;
        counts.lazySet(i, counts.get(i) + 1);
        latency[i].recordValue(Math.max(1, Math.min(nanos, HIGHEST)));
    }

    /** Opens the window after {@code warmup} (call when the load starts). */
    void openAfter(Duration warmup) {
        timer = Thread.ofPlatform().daemon().name("op-window").start(() -> {
            try {
                Thread.sleep(warmup.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            open();
        });
    }

    private synchronized void open() {
        if (begin != null) {
            return;
        }
        begin = new long[counts.length()];
        for (int i = 0; i < begin.length; i++) {
            begin[i] = counts.get(i);
        }
        for (SingleWriterRecorder r : latency) {
            r.getIntervalHistogram();
        }
        beginCounters = VfsRig.counters(probes, counterPrefix);
        beginNanos = System.nanoTime();
    }

    /** Closes the window (call first thing in {@code stop()}). */
    synchronized void close() {
        if (timer != null) {
            timer.interrupt();
        }
        if (begin == null) {
            open();
        }
        seconds = (System.nanoTime() - beginNanos) / 1e9;
        Map<String, Long> end = VfsRig.counters(probes, counterPrefix);
        counterDelta = new LinkedHashMap<>();
        end.forEach((k, v) -> counterDelta.put(k, v - beginCounters.getOrDefault(k, 0L)));
        result = new LinkedHashMap<>();
        for (int t = 0; t < types.length; t++) {
            long n = 0;
            Histogram h = new Histogram(1, HIGHEST, 2);
            for (int c = 0; c < clients; c++) {
                int i = c * types.length + t;
                n += counts.get(i) - begin[i];
                h.add(latency[i].getIntervalHistogram());
            }
            windowLatency[t] = h;
            result.put(types[t] + "_ops_per_s", n / seconds);
            if (n > 0) {
                result.put(types[t] + "_p50_us", h.getValueAtPercentile(50) / 1e3);
                result.put(types[t] + "_p99_us", h.getValueAtPercentile(99) / 1e3);
            }
        }
    }

    /** Per type: ops/s, p50 and p99 latency in µs, for the window. */
    Map<String, Double> perType() {
        return result == null ? Map.of() : result;
    }

    /** Counter increases over the window, by name. */
    long counterDelta(String name) {
        return counterDelta == null ? 0 : counterDelta.getOrDefault(name, 0L);
    }

    /** Window length in seconds. */
    double seconds() {
        return seconds;
    }

    /** Operations of type {@code t} over the whole run (warm-up included). */
    long total(int t) {
        long n = 0;
        for (int c = 0; c < clients; c++) {
            n += counts.get(c * types.length + t);
        }
        return n;
    }
}
