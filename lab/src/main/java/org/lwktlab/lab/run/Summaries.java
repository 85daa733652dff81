package org.lwktlab.lab.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** Medians over trials, per design, CPU count and offered load. */
public final class Summaries {
    private Summaries() {}

    /** One summary per group, in the order groups first appear. */
    public static List<RunResults.Summary> of(List<TrialRecord> records) {
        List<RunResults.Summary> out = new ArrayList<>();
        for (List<TrialRecord> all : groups(records).values()) {
            TrialRecord first = all.getFirst();
            List<TrialRecord> g = all.stream().filter(TrialRecord::ok).toList();
            // a trial that completed nothing has throughput 0, a real result, but no latency: its empty
            // histogram reads 0 ns, which would pull the latency medians down
            List<TrialRecord> timed = g.stream().filter(r -> r.ops() > 0).toList();
            out.add(new RunResults.Summary(first.design(), first.cpus(), first.offeredRate(), all.size(),
                    median(g, TrialRecord::opsPerSec), median(timed, r -> r.latencyNs().p50()),
                    median(timed, r -> r.latencyNs().p99()), median(timed, r -> r.latencyNs().p999()),
                    medians(g, TrialRecord::derived), medians(g, TrialRecord::perOp),
                    all.stream().allMatch(TrialRecord::ok)));
        }
        return out;
    }

    /** Trials by group, groups in first-appearance order, trials in run order. */
    public static Map<TrialRecord.GroupKey, List<TrialRecord>> groups(List<TrialRecord> records) {
        Map<TrialRecord.GroupKey, List<TrialRecord>> groups = new LinkedHashMap<>();
        for (TrialRecord r : records) {
            groups.computeIfAbsent(r.group(), k -> new ArrayList<>()).add(r);
        }
        return groups;
    }

    private static double median(List<TrialRecord> g, ToDoubleFunction<TrialRecord> f) {
        return median(g.stream().mapToDouble(f).toArray());
    }

    /** Per key, the median over the trials that have it. */
    private static Map<String, Double> medians(List<TrialRecord> g, Function<TrialRecord, Map<String, Double>> f) {
        Map<String, List<Double>> byKey = new TreeMap<>();
        for (TrialRecord r : g) {
            f.apply(r).forEach((k, v) -> byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
        Map<String, Double> m = new LinkedHashMap<>();
        byKey.forEach((k, vs) -> m.put(k, median(vs.stream().mapToDouble(Double::doubleValue).toArray())));
        return m;
    }

    /** The median, or NaN for no values. */
    public static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
