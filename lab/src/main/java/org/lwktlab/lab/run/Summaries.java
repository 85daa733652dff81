package org.lwktlab.lab.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Medians over trials, per design and CPU count. */
final class Summaries {
    private Summaries() {}

    static List<RunResults.Summary> of(List<TrialRecord> records) {
        Map<String, List<TrialRecord>> groups = new LinkedHashMap<>();
        for (TrialRecord r : records) {
            groups.computeIfAbsent(r.design() + "\u0000" + r.cpus(), k -> new ArrayList<>()).add(r);
        }
        List<RunResults.Summary> out = new ArrayList<>();
        for (List<TrialRecord> g : groups.values()) {
            TrialRecord first = g.getFirst();
            Map<String, Double> derived = new LinkedHashMap<>();
            for (TrialRecord r : g) {
                for (String k : r.derived().keySet()) {
                    derived.putIfAbsent(k, median(g.stream().filter(x -> x.derived().containsKey(k))
                            .mapToDouble(x -> x.derived().get(k)).toArray()));
                }
            }
            out.add(new RunResults.Summary(first.design(), first.cpus(), g.size(),
                    median(g.stream().mapToDouble(TrialRecord::opsPerSec).toArray()),
                    median(g.stream().mapToDouble(r -> r.latencyNs().p50()).toArray()),
                    median(g.stream().mapToDouble(r -> r.latencyNs().p99()).toArray()),
                    derived, g.stream().allMatch(TrialRecord::ok)));
        }
        return out;
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
