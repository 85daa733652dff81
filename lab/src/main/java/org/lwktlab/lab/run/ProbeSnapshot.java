package org.lwktlab.lab.run;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.lwktlab.metrics.probe.Log2Histogram;
import org.lwktlab.metrics.probe.ProbeRegistry;
import org.lwktlab.metrics.probe.ProbeSeries;

/**
 * Every counter and histogram of a registry at one moment, summed by metric name over labels — what the
 * runner takes at the start and end of the measured window so the difference is the window's cost.
 */
final class ProbeSnapshot {
    final Map<String, Long> counters = new HashMap<>();
    final Map<String, long[]> histograms = new HashMap<>(); // name -> {count, sum}

    static ProbeSnapshot take(ProbeRegistry r) {
        ProbeSnapshot s = new ProbeSnapshot();
        for (ProbeSeries ps : r.series()) {
            String name = ps.id().name();
            switch (ps) {
                case ProbeSeries.Counter c -> s.counters.merge(name, c.value(), Long::sum);
                case ProbeSeries.FunctionCounter f -> s.counters.merge(name, f.value(), Long::sum);
                case ProbeSeries.Histogram h -> {
                    Log2Histogram.Snapshot hs = h.histogram().snapshot();
                    long[] cs = s.histograms.computeIfAbsent(name, k -> new long[2]);
                    cs[0] += hs.count();
                    cs[1] += hs.sum();
                }
                default -> { }
            }
        }
        return s;
    }

    /** Counter increases from {@code before} to this snapshot, by name, sorted. */
    Map<String, Long> counterDelta(ProbeSnapshot before) {
        Map<String, Long> d = new TreeMap<>();
        counters.forEach((k, v) -> d.put(k, v - before.counters.getOrDefault(k, 0L)));
        return d;
    }

    /** Mean value per recorded event of histogram {@code name} over the window, or NaN. */
    double histogramMean(ProbeSnapshot before, String name) {
        long[] a = histograms.get(name);
        if (a == null) {
            return Double.NaN;
        }
        long[] b = before.histograms.getOrDefault(name, new long[2]);
        long count = a[0] - b[0];
        return count == 0 ? Double.NaN : (double) (a[1] - b[1]) / count;
    }
}
