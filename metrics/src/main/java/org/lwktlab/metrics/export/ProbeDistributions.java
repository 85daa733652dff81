package org.lwktlab.metrics.export;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import org.lwktlab.metrics.probe.LatencyProbe;
import org.lwktlab.metrics.probe.Log2Histogram;
import org.lwktlab.metrics.probe.MetricId;
import org.lwktlab.metrics.probe.ProbeSeries;
import org.lwktlab.metrics.sample.ProbeSampler;
import org.lwktlab.metrics.sample.ProbeWindow;
import org.lwktlab.metrics.sample.SlidingHistogram;

/**
 * The distributions of one bound registry, as Prometheus histograms and summaries.
 *
 * <p>Why not Micrometer meters: a Micrometer {@code DistributionSummary} or {@code Timer} can only be fed
 * one value at a time, while these distributions are already aggregated by their owners (log2 buckets
 * written on the CPU, HdrHistograms recorded on the CPU or by the sampler). Replaying them value by value
 * would cost per sample and lose the exact bucket counts, so they are handed to the same Prometheus
 * registry Micrometer writes into as a {@link MultiCollector}, and appear in the same scrape:
 * <ul>
 *   <li>each {@link Log2Histogram} → a classic histogram {@code X_bucket{le}}, {@code X_count}, {@code X_sum},
 *       buckets {@code le = 0, 1, 3, 7, ..., 32767, +Inf};</li>
 *   <li>each {@link LatencyProbe} {@code X_seconds} → a summary with quantiles 0.5, 0.99, 0.999 over the
 *       last {@link #RECENT} (NaN when nothing was sampled then), {@code _count} and {@code _sum} since
 *       the start (the sum is the HdrHistogram's, exact to its 2 significant digits);</li>
 *   <li>each depth gauge {@code X} → a summary {@code X_sampled} of the sampler's depth samples: quantiles
 *       over the sampler's recent window, {@code _count} samples and {@code _sum} of depths.</li>
 * </ul>
 *
 * <p><b>Threads.</b> Called only under the {@link MetricsServer}'s scrape lock.
 */
final class ProbeDistributions implements MultiCollector {
    /** How far back latency quantiles look. */
    static final Duration RECENT = Duration.ofSeconds(60);
    private static final double[] LOG2_BOUNDS = log2Bounds();

    private final ProbeSampler sampler;
    private final List<ProbeSeries> series = new ArrayList<>();
    private final Map<LatencyProbe, LatencyState> latency = new IdentityHashMap<>();
    private MetricSnapshots frozen;

    ProbeDistributions(ProbeSampler sampler) {
        this.sampler = sampler;
    }

    /** Starts exporting {@code s} if it is a distribution; returns whether it was. */
    boolean add(ProbeSeries s) {
        if (s instanceof ProbeSeries.Histogram || s instanceof ProbeSeries.Latency || s instanceof ProbeSeries.Gauge) {
            series.add(s);
            return true;
        }
        return false;
    }

    /** From now on, serve what the series hold at this moment. */
    void freeze() {
        if (frozen == null) {
            frozen = collectLive();
        }
    }

    @Override
    public MetricSnapshots collect() {
        return frozen != null ? frozen : collectLive();
    }

    private MetricSnapshots collectLive() {
        long now = System.nanoTime();
        Map<String, HistogramSnapshot.Builder> histograms = new LinkedHashMap<>();
        Map<String, SummarySnapshot.Builder> summaries = new LinkedHashMap<>();
        for (ProbeSeries s : series) {
            MetricId id = s.id();
            switch (s) {
                case ProbeSeries.Histogram h -> histograms
                        .computeIfAbsent(id.name(), n -> HistogramSnapshot.builder().name(n).help(id.help()))
                        .dataPoint(log2Point(id, h.histogram().snapshot()));
                case ProbeSeries.Latency l -> {
                    SummarySnapshot.SummaryDataPointSnapshot p = latencyPoint(id, l.probe(), now);
                    summaries.computeIfAbsent(id.name(), n -> SummarySnapshot.builder().name(n)
                                    .help(id.help() + " (quantiles over the last " + RECENT.toSeconds() + " s)"))
                            .dataPoint(p);
                }
                case ProbeSeries.Gauge g -> summaries
                        .computeIfAbsent(id.name() + "_sampled", n -> SummarySnapshot.builder().name(n)
                                .help("Sampled every " + sampler.options().interval().toMillis() + " ms: " + id.help()
                                        + " (quantiles over the last " + sampler.options().recentWindow().toSeconds()
                                        + " s)"))
                        .dataPoint(depthPoint(id, sampler.depth(g)));
                default -> throw new IllegalStateException("not a distribution: " + id);
            }
        }
        List<MetricSnapshot> out = new ArrayList<>();
        histograms.values().forEach(b -> out.add(b.build()));
        summaries.values().forEach(b -> out.add(b.build()));
        return new MetricSnapshots(out);
    }

    private static HistogramSnapshot.HistogramDataPointSnapshot log2Point(MetricId id, Log2Histogram.Snapshot s) {
        return HistogramSnapshot.HistogramDataPointSnapshot.builder()
                .classicHistogramBuckets(ClassicHistogramBuckets.of(LOG2_BOUNDS, s.counts()))
                .sum(s.sum())
                .labels(MetricsServer.labels(id.labels()))
                .build();
    }

    private SummarySnapshot.SummaryDataPointSnapshot latencyPoint(MetricId id, LatencyProbe probe, long now) {
        Histogram cumulative = probe.cumulative();
        LatencyState st = latency.get(probe);
        if (st == null && cumulative.getTotalCount() > 0) { // state only for probes that record anything
            st = new LatencyState();
            latency.put(probe, st);
        }
        Histogram recent = null;
        if (st != null) {
            Histogram delta = cumulative.copy();
            if (st.last != null) {
                delta.subtract(st.last);
            }
            st.recent.add(delta, now);
            st.last = cumulative;
            recent = st.recent.snapshot(now);
        }
        long count = cumulative.getTotalCount();
        return summaryPoint(id, recent, 1e-9, count, count == 0 ? 0 : cumulative.getMean() * count * 1e-9);
    }

    private static SummarySnapshot.SummaryDataPointSnapshot depthPoint(MetricId id, ProbeSampler.Depth d) {
        return summaryPoint(id, d.recent(), 1, d.count(), d.sum());
    }

    private static SummarySnapshot.SummaryDataPointSnapshot summaryPoint(MetricId id, Histogram recent, double scale,
                                                                        long count, double sum) {
        Quantiles.Builder q = Quantiles.builder();
        for (double quantile : ProbeWindow.QUANTILES) {
            double v = recent == null || recent.getTotalCount() == 0 ? Double.NaN
                    : recent.getValueAtPercentile(quantile * 100) * scale;
            q.quantile(new Quantile(quantile, v));
        }
        return SummarySnapshot.SummaryDataPointSnapshot.builder()
                .quantiles(q.build())
                .count(count)
                .sum(sum)
                .labels(MetricsServer.labels(id.labels()))
                .build();
    }

    private static double[] log2Bounds() {
        double[] b = new double[Log2Histogram.BUCKETS];
        for (int i = 0; i < b.length; i++) {
            long le = Log2Histogram.upperBound(i);
            b[i] = le == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : le;
        }
        return b;
    }

    /** A latency probe's exporter-side state: the cumulative histogram last seen, and the recent window. */
    private static final class LatencyState {
        final SlidingHistogram recent = new SlidingHistogram(LatencyProbe.HIGHEST_NANOS, 2, RECENT, 3);
        Histogram last;
    }
}
