package org.lwktlab.metrics.sample;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.HdrHistogram.Histogram;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.Log2Histogram;
import org.lwktlab.metrics.probe.MetricId;
import org.lwktlab.metrics.probe.ProbeSeries;

/**
 * One measurement window over a sampled registry: what every probe did between {@link #begin} and
 * {@link #end}, series by series, plus the depth timeline, for the runner to put into
 * {@code results.json}.
 *
 * <p>{@link #perProbe} keys are {@link SeriesKey short keys} named like the exported series, so a
 * figure in the results and a series on the dashboard are found under the same name:
 * <ul>
 *   <li>counter {@code X_total{l}}: its increase over the window ({@code *_seconds_total} counters,
 *       which hold nanoseconds, are scaled to seconds);</li>
 *   <li>histogram {@code X}: {@code X_count{l}} and {@code X_sum{l}}, increases over the window;</li>
 *   <li>gauge {@code X}: {@code X{l}} at the end, and the sampled distribution over the window as
 *       {@code X_sampled{l,quantile="0.5|0.99|0.999"}}, {@code X_sampled_count{l}}, {@code X_sampled_sum{l}};</li>
 *   <li>high-water mark {@code X}: {@code X{l}}, the largest value within the window;</li>
 *   <li>latency {@code X_seconds}: {@code X_seconds{l,quantile=...}} in seconds and
 *       {@code X_seconds_count{l}}, for the samples recorded within the window.</li>
 * </ul>
 * Quantiles are left out when the window has no samples.
 *
 * <p><b>Threads.</b> One thread (the runner's) calls {@code begin}, {@code end} and the readers, while
 * the registry is open; {@link #perProbe} and {@link #timeline} stay readable after it is closed.
 */
public final class ProbeWindow {
    /** The quantiles results and the exporter report. */
    public static final double[] QUANTILES = {0.5, 0.99, 0.999};

    private final ProbeSampler sampler;
    private final Labels common;
    private final long startNanos;
    private final Map<ProbeSeries, Object> before = new IdentityHashMap<>();
    private Map<String, Number> perProbe;

    private ProbeWindow(ProbeSampler sampler) {
        this.sampler = sampler;
        this.common = sampler.registry().commonLabels();
        sampler.restartWindow();
        this.startNanos = System.nanoTime();
        for (ProbeSeries s : sampler.registry().series()) {
            Object v = capture(s);
            if (v != null) {
                before.put(s, v);
            }
        }
    }

    /** Starts a window now: restarts the sampler's window and reads every series. */
    public static ProbeWindow begin(ProbeSampler sampler) {
        return new ProbeWindow(Objects.requireNonNull(sampler, "sampler"));
    }

    /** When the window began, a {@link System#nanoTime} reading. */
    public long startNanos() {
        return startNanos;
    }

    /** Ends the window: takes a last sample and reads every series. Once; the registry must be open. */
    public void end() {
        if (perProbe != null) {
            throw new IllegalStateException("the probe window has already ended");
        }
        sampler.sampleNow();
        Map<String, Number> m = new LinkedHashMap<>();
        for (ProbeSeries s : sampler.registry().series()) {
            read(s, m);
        }
        perProbe = m;
    }

    /** Every series' figure for the window, by short key (see the class comment). After {@link #end}. */
    public Map<String, Number> perProbe() {
        if (perProbe == null) {
            throw new IllegalStateException("the probe window has not ended yet");
        }
        return perProbe;
    }

    /** The sampler's timeline, times in seconds from the start of this window. */
    public Timeline timeline() {
        return sampler.timeline(startNanos);
    }

    private static Object capture(ProbeSeries s) {
        return switch (s) {
            case ProbeSeries.Counter c -> c.value();
            case ProbeSeries.FunctionCounter f -> f.value();
            case ProbeSeries.Histogram h -> h.histogram().snapshot();
            case ProbeSeries.Latency l -> l.probe().cumulative();
            default -> null;
        };
    }

    private void read(ProbeSeries s, Map<String, Number> m) {
        MetricId id = s.id();
        switch (s) {
            case ProbeSeries.Counter c -> counter(s, c.value(), m);
            case ProbeSeries.FunctionCounter f -> counter(s, f.value(), m);
            case ProbeSeries.Histogram h -> {
                Log2Histogram.Snapshot now = h.histogram().snapshot();
                Log2Histogram.Snapshot was = (Log2Histogram.Snapshot) before.get(s);
                m.put(key(id.name() + "_count", id.labels()), now.count() - (was == null ? 0 : was.count()));
                m.put(key(id.name() + "_sum", id.labels()), now.sum() - (was == null ? 0 : was.sum()));
            }
            case ProbeSeries.Gauge g -> {
                ProbeSampler.Depth d = sampler.depth(g);
                m.put(key(id.name(), id.labels()), d.last());
                Histogram w = d.window();
                String sampled = id.name() + "_sampled";
                quantiles(sampled, id.labels(), w, 1, m);
                m.put(key(sampled + "_count", id.labels()), w.getTotalCount());
                m.put(key(sampled + "_sum", id.labels()), d.windowSum());
            }
            case ProbeSeries.HighWater h -> m.put(key(id.name(), id.labels()), sampler.mark(h).windowMax());
            case ProbeSeries.Latency l -> {
                Histogram now = l.probe().cumulative();
                Histogram was = (Histogram) before.get(s);
                if (was != null) {
                    now.subtract(was);
                }
                quantiles(id.name(), id.labels(), now, 1e-9, m);
                m.put(key(id.name() + "_count", id.labels()), now.getTotalCount());
            }
        }
    }

    private void counter(ProbeSeries s, long now, Map<String, Number> m) {
        MetricId id = s.id();
        Object was = before.get(s);
        long delta = now - (was instanceof Long l ? l : 0L);
        if (id.name().endsWith("_seconds_total")) {
            m.put(key(id.name(), id.labels()), delta / 1e9);
        } else {
            m.put(key(id.name(), id.labels()), delta);
        }
    }

    private void quantiles(String name, Labels labels, Histogram h, double scale, Map<String, Number> m) {
        if (h.getTotalCount() == 0) {
            return;
        }
        for (double q : QUANTILES) {
            long v = h.getValueAtPercentile(q * 100);
            m.put(key(name, labels.and("quantile", Double.toString(q))), scale == 1 ? (Number) v : v * scale);
        }
    }

    private String key(String name, Labels labels) {
        return SeriesKey.of(name, labels, common);
    }
}
