package org.lwktlab.lab.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.lwktlab.lab.run.Comparison;
import org.lwktlab.lab.run.RunResults;
import org.lwktlab.lab.run.Summaries;
import org.lwktlab.lab.run.TrialRecord;

/**
 * Builds {@link Comparison}s: between the designs of one run ({@link #within}, paired by trial number) and
 * between two runs ({@link #between}, unpaired). Trials that failed a correctness check, and values that
 * are missing or not positive (no latency recorded, a zero count), are left out.
 */
public final class Comparisons {
    private Comparisons() {}

    /**
     * Every pair of designs of {@code r} (in the order the run names them: first against the others, then
     * the second against the rest, ...), at every CPU count and offered load, for every metric both have.
     */
    public static List<Comparison> within(RunResults r) {
        Map<Point, Map<String, List<TrialRecord>>> byPoint = byPoint(r.runs(), TrialRecord::design);
        List<Comparison> out = new ArrayList<>();
        for (Map.Entry<Point, Map<String, List<TrialRecord>>> e : byPoint.entrySet()) {
            List<String> designs = new ArrayList<>(e.getValue().keySet());
            for (int i = 0; i < designs.size(); i++) {
                for (int j = i + 1; j < designs.size(); j++) {
                    List<TrialRecord> a = e.getValue().get(designs.get(i));
                    List<TrialRecord> b = e.getValue().get(designs.get(j));
                    for (Metric m : Metric.comparable(a, b)) {
                        Comparison c = paired(e.getKey(), m, designs.get(i), a, designs.get(j), b);
                        if (c != null) {
                            out.add(c);
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Run {@code a} against run {@code b}: where they share designs, each design against itself at every
     * CPU count and offered load both ran; where they share none (one run per design), every design of
     * {@code a} against every design of {@code b}. Sides are named {@code A:design} and {@code B:design}.
     */
    public static List<Comparison> between(RunResults a, RunResults b) {
        Map<Point, Map<String, List<TrialRecord>>> pa = byPoint(a.runs(), TrialRecord::design);
        Map<Point, Map<String, List<TrialRecord>>> pb = byPoint(b.runs(), TrialRecord::design);
        Set<String> shared = new LinkedHashSet<>(a.config().designs());
        shared.retainAll(b.config().designs());
        List<Comparison> out = new ArrayList<>();
        for (Map.Entry<Point, Map<String, List<TrialRecord>>> e : pa.entrySet()) {
            Map<String, List<TrialRecord>> other = pb.get(e.getKey());
            if (other == null) {
                continue;
            }
            for (Map.Entry<String, List<TrialRecord>> da : e.getValue().entrySet()) {
                for (Map.Entry<String, List<TrialRecord>> db : other.entrySet()) {
                    if (!shared.isEmpty() && !da.getKey().equals(db.getKey())) {
                        continue;
                    }
                    for (Metric m : Metric.comparable(da.getValue(), db.getValue())) {
                        Comparison c = unpaired(e.getKey(), m, "A:" + da.getKey(), da.getValue(), "B:" + db.getKey(),
                                db.getValue());
                        if (c != null) {
                            out.add(c);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** A CPU count and offered load: where two sides can be compared. */
    private record Point(int cpus, Double rate) {}

    private static Map<Point, Map<String, List<TrialRecord>>> byPoint(List<TrialRecord> runs,
                                                                   Function<TrialRecord, String> side) {
        Map<Point, Map<String, List<TrialRecord>>> m = new LinkedHashMap<>();
        for (List<TrialRecord> g : Summaries.groups(runs).values()) {
            TrialRecord first = g.getFirst();
            m.computeIfAbsent(new Point(first.cpus(), first.offeredRate()), k -> new LinkedHashMap<>())
                    .put(side.apply(first), g.stream().filter(TrialRecord::ok).toList());
        }
        return m;
    }

    private static Comparison paired(Point p, Metric m, String na, List<TrialRecord> a, String nb, List<TrialRecord> b) {
        Map<Integer, Double> va = byTrial(a, m);
        Map<Integer, Double> vb = byTrial(b, m);
        va.keySet().retainAll(vb.keySet());
        if (va.isEmpty()) {
            return null;
        }
        double[] xa = va.values().stream().mapToDouble(Double::doubleValue).toArray();
        double[] xb = va.keySet().stream().mapToDouble(vb::get).toArray();
        return of(p, m, na, nb, Ratios.paired(xa, xb));
    }

    private static Comparison unpaired(Point p, Metric m, String na, List<TrialRecord> a, String nb, List<TrialRecord> b) {
        double[] xa = byTrial(a, m).values().stream().mapToDouble(Double::doubleValue).toArray();
        double[] xb = byTrial(b, m).values().stream().mapToDouble(Double::doubleValue).toArray();
        if (xa.length == 0 || xb.length == 0) {
            return null;
        }
        return of(p, m, na, nb, Ratios.welch(xa, xb));
    }

    /** The metric's positive values by trial number. */
    private static Map<Integer, Double> byTrial(List<TrialRecord> g, Metric m) {
        Map<Integer, Double> v = new LinkedHashMap<>();
        for (TrialRecord r : g) {
            Double x = m.value().apply(r);
            if (x != null && x > 0 && !x.isInfinite()) {
                v.put(r.trial(), x);
            }
        }
        return v;
    }

    private static Comparison of(Point p, Metric m, String a, String b, RatioEstimate e) {
        String verdict = null;
        String better = null;
        if (e.excludesOne()) {
            boolean higher = e.ratio() > 1;
            double factor = higher ? e.ratio() : 1 / e.ratio();
            String big = higher ? a : b;
            String small = higher ? b : a;
            verdict = String.format(Locale.ROOT, "%s's %s is %.2f× %s's", big, m.label(), factor, small);
            if (m.direction() != Metric.Direction.NEUTRAL) {
                better = higher == (m.direction() == Metric.Direction.HIGHER_IS_BETTER) ? a : b;
            }
        }
        return new Comparison(p.cpus(), p.rate(), m.key(), m.label(), a, b, e.method(), e.n(), e.ratio(),
                e.hasInterval() ? e.low() : null, e.hasInterval() ? e.high() : null, verdict, better);
    }

    /** Only the comparisons of {@code metrics} (by key), in the given order of metrics. */
    public static List<Comparison> select(List<Comparison> all, List<Metric> metrics) {
        List<Comparison> out = new ArrayList<>();
        for (Comparison c : all) {
            if (metrics.stream().anyMatch(m -> Objects.equals(m.key(), c.metric()))) {
                out.add(c);
            }
        }
        return out;
    }
}
