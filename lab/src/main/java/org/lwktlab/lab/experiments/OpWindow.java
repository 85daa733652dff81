package org.lwktlab.lab.experiments;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.lwktlab.lwkt.Clock;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * Per-operation-type counts and latencies for a workload whose operations are of several kinds, over the
 * same measured window the runner uses: the window opens when the warm-up ends and closes when
 * {@code stop()} begins. On real CPUs a timer thread started with the load opens it; under a deterministic
 * simulation (which starts no thread) a step hook on every CPU opens it at the end of the first step whose
 * simulated time reaches the end of the warm-up — the step where the runner's own window begins. Times are
 * read from the kernel's {@link Clock}. Each client writes only its own slots (single writer: a
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
    private final Kernel kernel;
    private final Clock clock;
    /** Simulation only: when the warm-up ends (simulated time); written before the load starts. */
    private long openAt;

    OpWindow(Kernel kernel, String[] types, int clients, ProbeRegistry probes, String counterPrefix) {
        this.kernel = kernel;
        this.clock = kernel.clock();
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
        if (kernel.simulation() != null) {
            openAt = clock.nanoTime() + warmup.toNanos();
            for (int c = 0; c < kernel.ncpus(); c++) {
                kernel.cpu(c).addStepHook(cpu -> {
                    if (begin == null && clock.nanoTime() - openAt >= 0) {
                        open();
                    }
                });
            }
            return;
        }
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
        beginNanos = clock.nanoTime();
    }

    /** Closes the window (call first thing in {@code stop()}). */
    synchronized void close() {
        if (timer != null) {
            timer.interrupt();
        }
        if (begin == null) {
            open();
        }
        seconds = (clock.nanoTime() - beginNanos) / 1e9;
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
