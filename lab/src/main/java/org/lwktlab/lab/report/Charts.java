package org.lwktlab.lab.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.lwktlab.lab.run.Format;
import org.lwktlab.lab.run.RunResults;
import org.lwktlab.lab.run.Summaries;
import org.lwktlab.lab.run.TrialRecord;
import org.lwktlab.metrics.sample.Timeline;

/**
 * The report's plots, drawn with XChart from a run's trial records. Each design keeps one colour in
 * every plot. Trials that failed a correctness check are left out of every plot.
 */
final class Charts {
    static final int WIDTH = 760;
    static final int HEIGHT = 400;
    /** More plots than this per kind is noise; the page says which were left out. */
    static final int MAX_PLOTS = 8;

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
        new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};
    /** Horizontal offset between designs in the throughput plot, in CPUs. */
    private static final double DODGE = 0.08;
    private static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {6f, 4f}, 0f);

    private final RunResults results;
    private final Map<String, Color> colours = new LinkedHashMap<>();
    /** Ok trials by group. */
    private final Map<TrialRecord.GroupKey, List<TrialRecord>> groups = new LinkedHashMap<>();

    Charts(RunResults results) {
        this.results = results;
        List<String> designs = new ArrayList<>(results.config().designs());
        results.runs().forEach(t -> {
            if (!designs.contains(t.design())) {
                designs.add(t.design());
            }
        });
        for (int i = 0; i < designs.size(); i++) {
            colours.put(designs.get(i), PALETTE[i % PALETTE.length]);
        }
        Summaries.groups(results.runs()).forEach((k, v) -> {
            List<TrialRecord> ok = v.stream().filter(TrialRecord::ok).filter(t -> t.ops() > 0).toList();
            if (!ok.isEmpty()) {
                groups.put(k, ok);
            }
        });
    }

    Color colour(String design) {
        return colours.getOrDefault(design, Color.GRAY);
    }

    private boolean open() {
        return "open".equals(results.config().load());
    }

    private List<Double> rates() {
        List<Double> rates = new ArrayList<>(new TreeSet<>(groups.keySet().stream().map(TrialRecord.GroupKey::rate)
                .filter(Objects::nonNull).toList()));
        return rates.isEmpty() ? java.util.Collections.singletonList(null) : rates;
    }

    private List<Integer> cpuCounts() {
        return new ArrayList<>(new TreeSet<>(groups.keySet().stream().map(TrialRecord.GroupKey::cpus).toList()));
    }

    private static String loadLabel(Double rate) {
        return rate == null ? "closed loop" : "offered " + Format.si(rate) + " ops/s";
    }

    // ------------------------------------------------------------------ throughput

    /**
     * Closed loop: throughput per design against CPU count, the median of the trials, each trial a dot.
     * Open loop: achieved against offered load per CPU count, beside the line where they are equal.
     */
    List<Plot> throughput() {
        return open() ? achievedVsOffered() : throughputVsCpus();
    }

    private List<Plot> achievedVsOffered() {
        List<Plot> plots = new ArrayList<>();
        List<Double> rates = rates();
        for (int cpus : cpuCounts()) {
            XYChart c = chart("Achieved vs offered load — " + cpus + " CPUs", "offered load (operations / s)",
                    "achieved (operations / s)");
            c.getStyler().setYAxisMin(0.0).setXAxisMin(0.0).setYAxisTickLabelsFormattingFunction(Format::si)
                    .setXAxisTickLabelsFormattingFunction(Format::si);
            int series = 0;
            int points = 0;
            for (String design : colours.keySet()) {
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (Double rate : rates) {
                    List<TrialRecord> g = groups.get(new TrialRecord.GroupKey(design, cpus, rate));
                    if (g != null) {
                        xs.add(rate);
                        ys.add(Summaries.median(g.stream().mapToDouble(TrialRecord::opsPerSec).toArray()));
                    }
                }
                if (!xs.isEmpty()) {
                    line(c, design, xs, ys, colour(design), null);
                    series++;
                    points += xs.size();
                }
            }
            if (series > 0) {
                double max = rates.getLast();
                XYSeries ideal = c.addSeries("offered = achieved", List.of(0.0, max), List.of(0.0, max));
                ideal.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE);
                ideal.setLineColor(Color.GRAY).setLineStyle(DASHED);
                plots.add(Plot.of("throughput-" + cpus, "Achieved vs offered load — " + cpus + " CPUs",
                        "Median achieved throughput at each offered load. On the dashed line a design keeps up; where it"
                                + " falls below, it is saturated and its queues grow (see queue depth).",
                        c, series, points));
            }
        }
        return plots;
    }

    private List<Plot> throughputVsCpus() {
        List<Plot> plots = new ArrayList<>();
        for (Double rate : rates()) {
            XYChart c = chart("Throughput vs CPU count (" + loadLabel(rate) + ")", "CPUs", "operations / s");
            c.getStyler().setYAxisMin(0.0).setYAxisTickLabelsFormattingFunction(Format::si)
                    .setXAxisTickLabelsFormattingFunction(x -> x == Math.rint(x) ? Long.toString(x.longValue()) : "");
            int series = 0;
            int points = 0;
            int nd = colours.size();
            int di = 0;
            for (String design : colours.keySet()) {
                // designs side by side around each CPU count, so their dots do not hide each other
                double dodge = DODGE * (di++ - (nd - 1) / 2.0);
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                List<Double> tx = new ArrayList<>();
                List<Double> ty = new ArrayList<>();
                for (int cpus : cpuCounts()) {
                    List<TrialRecord> g = groups.get(new TrialRecord.GroupKey(design, cpus, rate));
                    if (g == null) {
                        continue;
                    }
                    xs.add(cpus + dodge);
                    ys.add(Summaries.median(g.stream().mapToDouble(TrialRecord::opsPerSec).toArray()));
                    for (TrialRecord t : g) {
                        tx.add(cpus + dodge);
                        ty.add(t.opsPerSec());
                    }
                }
                if (xs.isEmpty()) {
                    continue;
                }
                line(c, design + " (median)", xs, ys, colour(design), null);
                XYSeries dots = c.addSeries(design + " trials", tx, ty);
                dots.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                dots.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(faded(colour(design)));
                dots.setShowInLegend(false);
                series++;
                points += xs.size();
            }
            if (series > 0) {
                List<Integer> cs = cpuCounts();
                c.getStyler().setXAxisMin(Math.max(0, cs.getFirst() - 1.0)).setXAxisMax(cs.getLast() + 1.0);
                plots.add(Plot.of("throughput" + suffix(rate), "Throughput per design vs CPU count — " + loadLabel(rate),
                        "Line: median over the trials that passed their checks; dots: each trial. Higher is better.",
                        c, series, points));
            }
        }
        return plots;
    }

    // ------------------------------------------------------------------ latency

    /**
     * Latency percentile curves (HdrHistogram style): per CPU count and load, one curve per design from
     * the merged histograms of its trials; both axes logarithmic, so the tail is visible.
     */
    List<Plot> latencyPercentiles() {
        List<Plot> plots = new ArrayList<>();
        for (int cpus : cpuCounts()) {
            for (Double rate : rates()) {
                XYChart c = chart("Latency by percentile — " + cpus + " CPUs, " + loadLabel(rate), "percentile",
                        "latency");
                XYStyler st = c.getStyler();
                st.setXAxisLogarithmic(true).setYAxisLogarithmic(true);
                // a logarithmic x over seven decades draws 60 vertical grid lines; the labelled ticks suffice
                st.setPlotGridVerticalLinesVisible(false);
                st.setXAxisTickLabelsFormattingFunction(Charts::percentileLabel);
                st.setYAxisTickLabelsFormattingFunction(Format::nanosShort);
                int series = 0;
                int points = 0;
                for (String design : colours.keySet()) {
                    List<TrialRecord> g = groups.get(new TrialRecord.GroupKey(design, cpus, rate));
                    if (g == null) {
                        continue;
                    }
                    Histogram h = new Histogram(3);
                    g.forEach(t -> h.add(t.histogram()));
                    if (h.getTotalCount() == 0) {
                        continue;
                    }
                    List<Double> xs = new ArrayList<>();
                    List<Double> ys = new ArrayList<>();
                    for (HistogramIterationValue v : h.percentiles(5)) {
                        double p = v.getPercentileLevelIteratedTo();
                        if (p >= 100.0 || xs.size() > 400) {
                            break;
                        }
                        xs.add(100.0 / (100.0 - p));
                        ys.add((double) Math.max(1, v.getValueIteratedTo()));
                    }
                    if (xs.isEmpty()) {
                        continue;
                    }
                    line(c, design + " (" + g.size() + " trials, " + Format.si(h.getTotalCount()) + " ops)", xs, ys,
                            colour(design), null).setMarker(SeriesMarkers.NONE);
                    series++;
                    points += xs.size();
                }
                if (series > 0) {
                    plots.add(Plot.of("latency-" + cpus + suffix(rate), "Latency percentiles — " + cpus + " CPUs, "
                                    + loadLabel(rate),
                            "Each curve merges the latency histograms of a design's trials. x: percentile, spaced so each"
                                    + " added nine (90%, 99%, 99.9%) takes the same width;"
                                    + " y: latency at that percentile. " + (rate == null
                                    ? "Closed loop: latency is each operation's own time."
                                    : "Open loop: latency counts from each operation's intended start.")
                                    + " Lower is better.",
                            c, series, points));
                }
            }
        }
        return plots;
    }

    /** Open loop with several loads: p50 and p99 against offered load, per CPU count. */
    List<Plot> latencyVsLoad() {
        List<Plot> plots = new ArrayList<>();
        if (!open() || rates().size() < 2) {
            return plots;
        }
        for (int cpus : cpuCounts()) {
            XYChart c = chart("Latency vs offered load — " + cpus + " CPUs", "offered load (operations / s)", "latency");
            c.getStyler().setYAxisLogarithmic(true).setYAxisTickLabelsFormattingFunction(Format::nanosShort)
                    .setXAxisTickLabelsFormattingFunction(Format::si);
            int series = 0;
            int points = 0;
            for (String design : colours.keySet()) {
                List<Double> xs = new ArrayList<>();
                List<Double> p50 = new ArrayList<>();
                List<Double> p99 = new ArrayList<>();
                for (Double rate : rates()) {
                    List<TrialRecord> g = groups.get(new TrialRecord.GroupKey(design, cpus, rate));
                    if (g == null) {
                        continue;
                    }
                    xs.add(rate);
                    p50.add(Math.max(1, Summaries.median(g.stream().mapToDouble(t -> t.latencyNs().p50()).toArray())));
                    p99.add(Math.max(1, Summaries.median(g.stream().mapToDouble(t -> t.latencyNs().p99()).toArray())));
                }
                if (xs.isEmpty()) {
                    continue;
                }
                line(c, design + " p50", xs, p50, colour(design), null);
                line(c, design + " p99", xs, p99, colour(design), DASHED);
                series += 2;
                points += 2 * xs.size();
            }
            if (series > 0) {
                plots.add(Plot.of("latency-load-" + cpus, "Latency vs offered load — " + cpus + " CPUs",
                        "Median over trials of each trial's p50 (solid) and p99 (dashed), latency from the intended"
                                + " start. Where a curve turns up, the design is saturating.",
                        c, series, points));
            }
        }
        return plots;
    }

    // ------------------------------------------------------------------ coalescing

    /**
     * Coalescing against offered load: IPIs per ring drain and messages per port run (how much work
     * each wake-up or drain amortises), and the share of wake-ups skipped because the target was awake.
     */
    List<Plot> coalescing() {
        List<Plot> plots = new ArrayList<>();
        String xTitle = open() ? "offered load (operations / s)" : "achieved load (operations / s, closed loop)";
        XYChart perDrain = chart("Messages per drain vs load", xTitle, "hand-offs per drain or run");
        perDrain.getStyler().setXAxisTickLabelsFormattingFunction(Format::si);
        int[] a = addCoalescing(perDrain, "ipi_per_drain", "IPIs per ring drain", 1, null);
        int[] b = addCoalescing(perDrain, "msgs_per_run", "messages per port run", 1, DASHED);
        if (a[0] + b[0] > 0) {
            padSingleX(perDrain);
            yScaleFor(perDrain);
            plots.add(Plot.of("coalescing-drain", "Coalescing: messages per drain vs load",
                    "Solid: IPIs handled per drain of a CPU's inbound rings; dashed: messages handled per run of an LWKT"
                            + " thread's port. Above 1, one wake-up or drain amortises several hand-offs. "
                            + (open() ? "One point per offered load (median of trials)."
                            : "Closed loop: one point per trial at the load it achieved."),
                    perDrain, a[0] + b[0], a[1] + b[1]));
        }
        XYChart skipped = chart("Wake-ups skipped vs load", xTitle, "wake-ups skipped (%)");
        skipped.getStyler().setXAxisTickLabelsFormattingFunction(Format::si).setYAxisMin(0.0).setYAxisMax(100.0);
        int[] w = addCoalescing(skipped, "wakeups_skipped_ratio", "wake-ups skipped", 100, null);
        if (w[0] > 0) {
            padSingleX(skipped);
            plots.add(Plot.of("coalescing-wakeups", "Coalescing: wake-ups skipped vs load",
                    "Share of active IPIs whose wake-up was skipped because the target CPU had not announced idle:"
                            + " the sender saved a syscall-priced unpark.",
                    skipped, w[0], w[1]));
        }
        return plots;
    }

    /** Adds one series per design for derived figure {@code key}; returns {series, points}. */
    private int[] addCoalescing(XYChart c, String key, String what, double scale, BasicStroke stroke) {
        int series = 0;
        int points = 0;
        for (String design : colours.keySet()) {
            TreeMap<Double, List<Double>> byX = new TreeMap<>();
            groups.forEach((k, g) -> {
                if (!k.design().equals(design)) {
                    return;
                }
                for (TrialRecord t : g) {
                    Double v = t.derived().get(key);
                    if (v != null) {
                        double x = open() ? k.rate() : t.opsPerSec();
                        byX.computeIfAbsent(x, z -> new ArrayList<>()).add(v * scale);
                    }
                }
            });
            if (byX.isEmpty()) {
                continue;
            }
            List<Double> xs = new ArrayList<>(byX.keySet());
            List<Double> ys = xs.stream().map(x -> Summaries.median(byX.get(x).stream().mapToDouble(d -> d).toArray()))
                    .toList();
            XYSeries s = line(c, design + " · " + what, xs, ys, colour(design), stroke);
            if (!open()) {
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            }
            series++;
            points += xs.size();
        }
        return new int[] {series, points};
    }

    // ------------------------------------------------------------------ queue depth

    /** Hand-off points drawn per plot; the deepest are kept. */
    static final int MAX_HANDOFF_SERIES = 8;

    /**
     * Queue depth over time at every hand-off point (IPI rings, ports, submission queues), one plot per
     * design at the largest CPU count (per offered load): the trial with the median throughput. Where a
     * point has a high-water mark the line is the deepest it got in each sampling interval, so a spike
     * between two samples still shows; otherwise it is the sampled depth.
     */
    List<Plot> queueDepth() {
        List<Plot> plots = new ArrayList<>();
        List<Integer> cs = cpuCounts();
        if (cs.isEmpty()) {
            return plots;
        }
        int cpus = cs.getLast();
        for (Double rate : rates()) {
            for (String design : colours.keySet()) {
                List<TrialRecord> g = groups.get(new TrialRecord.GroupKey(design, cpus, rate));
                if (g == null) {
                    continue;
                }
                TrialRecord t = medianTrial(g);
                Timeline tl = t.timeline();
                if (tl == null || tl.size() == 0 || tl.depth().isEmpty()) {
                    continue;
                }
                Map<String, List<Long>> lines = new LinkedHashMap<>();
                tl.depth().forEach((key, depth) -> {
                    if (isHandOff(key)) {
                        List<Long> hwm = tl.hwm().get(markKey(key));
                        lines.put(key, hwm != null ? hwm : depth);
                    }
                });
                if (lines.isEmpty()) {
                    continue;
                }
                List<Map.Entry<String, List<Long>>> deepest = lines.entrySet().stream()
                        .sorted((x, y) -> Long.compare(peak(y.getValue()), peak(x.getValue())))
                        .limit(MAX_HANDOFF_SERIES).toList();
                XYChart c = chart("Queue depth — " + design, "seconds from the start of the measured window",
                        "depth (entries waiting)");
                c.getStyler().setYAxisMin(0.0).setYAxisDecimalPattern("#");
                int series = 0;
                int points = 0;
                for (Map.Entry<String, List<Long>> e : deepest) {
                    List<Double> xs = new ArrayList<>();
                    List<Double> ys = new ArrayList<>();
                    for (int i = 0; i < tl.size() && i < e.getValue().size(); i++) {
                        Long v = e.getValue().get(i);
                        if (v != null) {
                            xs.add(tl.tS().get(i));
                            ys.add((double) v);
                        }
                    }
                    if (xs.isEmpty()) {
                        continue;
                    }
                    XYSeries sr = c.addSeries(shortKey(e.getKey()), xs, ys);
                    sr.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE);
                    sr.setLineStyle(new BasicStroke(1.5f));
                    series++;
                    points += xs.size();
                }
                if (series > 0) {
                    String more = lines.size() > deepest.size()
                            ? " The " + deepest.size() + " deepest of " + lines.size() + " hand-off points are drawn." : "";
                    plots.add(Plot.of("depth-" + design + suffix(rate), "Queue depth over time — " + design + ", " + cpus
                                    + " CPUs, " + loadLabel(rate) + " (trial " + t.trial() + ")",
                            "Each line is one hand-off point. Where the point keeps a high-water mark the line is the"
                                    + " deepest it got in each " + Format.number(tl.intervalS() * 1000) + " ms interval"
                                    + " (spikes between samples are kept); otherwise the sampled depth. Negative time is"
                                    + " the warm-up." + more,
                            c, series, points));
                }
            }
        }
        return plots;
    }

    /**
     * Whether gauge {@code key} is a hand-off point's queue depth. Probe names say so: queue depths end in
     * {@code _depth} ({@code lwkt_port_depth}, {@code lwkt_ipi_queue_depth}, ...). Other gauges the
     * sampler also records (a slab's bytes in use, zones held) are levels in other units; drawn on a
     * "depth" axis they would dwarf every queue, so they stay in results.json and out of this plot.
     */
    static boolean isHandOff(String key) {
        int brace = key.indexOf('{');
        return (brace < 0 ? key : key.substring(0, brace)).endsWith("_depth");
    }

    /** The high-water mark's key for depth gauge {@code key}: {@code name_max{labels}}. */
    static String markKey(String key) {
        int brace = key.indexOf('{');
        return brace < 0 ? key + "_max" : key.substring(0, brace) + "_max" + key.substring(brace);
    }

    /** {@code lwkt_port_depth{cpu="0",port="client0"}} as {@code port client0 (cpu 0)}, for legends. */
    static String shortKey(String key) {
        int brace = key.indexOf('{');
        String name = brace < 0 ? key : key.substring(0, brace);
        String labels = brace < 0 ? "" : key.substring(brace + 1, key.length() - 1);
        String what = switch (name) {
            case "lwkt_ipi_queue_depth" -> "IPI rings in";
            case "lwkt_submission_depth" -> "submissions";
            case "lwkt_port_depth" -> "port";
            case "lwkt_ipi_ring_depth" -> "ring";
            default -> name.replace("lwkt_", "").replace("_depth", "");
        };
        String cpu = null;
        StringBuilder rest = new StringBuilder();
        for (String kv : labels.split(",(?=[a-z_]+=)")) {
            int eq = kv.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String k = kv.substring(0, eq);
            String v = kv.substring(eq + 1).replace("\"", "");
            if (k.equals("cpu")) {
                cpu = v;
            } else {
                rest.append(' ').append(v);
            }
        }
        return what + rest + (cpu != null ? " (cpu " + cpu + ")" : "");
    }

    private static long peak(List<Long> v) {
        long m = 0;
        for (Long x : v) {
            if (x != null && x > m) {
                m = x;
            }
        }
        return m;
    }

    /** The trial whose throughput is the median of the group's (the lower middle one for an even count). */
    private static TrialRecord medianTrial(List<TrialRecord> g) {
        List<TrialRecord> sorted = g.stream().sorted((a, b) -> Double.compare(a.opsPerSec(), b.opsPerSec())).toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    // ------------------------------------------------------------------ helpers

    private static String suffix(Double rate) {
        return rate == null ? "" : "-" + Format.si(rate);
    }

    /** {@code 90%} for x = 10 (x = 1 / (1 − p)). */
    static String percentileLabel(double x) {
        double p = 100.0 - 100.0 / x;
        if (p <= 0) {
            return "0%";
        }
        String s = String.format(java.util.Locale.ROOT, "%.4f", p).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s + "%";
    }

    private static Color faded(Color c) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), 110);
    }

    private XYSeries line(XYChart c, String name, List<Double> xs, List<Double> ys, Color colour, BasicStroke stroke) {
        XYSeries s = c.addSeries(name, xs, ys);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setLineColor(colour);
        s.setMarkerColor(colour);
        s.setMarker(stroke == null ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
        s.setLineStyle(stroke != null ? stroke : new BasicStroke(2f));
        return s;
    }

    /**
     * A linear y axis from 0 while the values span less than {@link #LOG_SPREAD}× (XChart labels a
     * logarithmic axis at powers of ten only, so a narrow range on one would show no numbers); a
     * logarithmic one, titled so, when they span more.
     */
    private static void yScaleFor(XYChart c) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (XYSeries s : c.getSeriesCollection()) {
            min = Math.min(min, s.getYMin());
            max = Math.max(max, s.getYMax());
        }
        XYStyler st = c.getStyler();
        if (min > 0 && max / min > LOG_SPREAD) {
            st.setYAxisLogarithmic(true).setYAxisTickLabelsFormattingFunction(d -> Format.number(d.doubleValue()));
            c.setYAxisTitle(c.getYAxisTitle() + " (log)");
        } else {
            st.setYAxisMin(0.0);
        }
    }

    /** Spread of values beyond which a y axis turns logarithmic. */
    private static final double LOG_SPREAD = 50;

    /** With a single x value XChart has no range to draw; widen the axis around it. */
    private static void padSingleX(XYChart c) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (XYSeries s : c.getSeriesCollection()) {
            min = Math.min(min, s.getXMin());
            max = Math.max(max, s.getXMax());
        }
        if (min == max && !c.getStyler().isXAxisLogarithmic()) {
            double pad = Math.max(Math.abs(min) * 0.5, 1);
            c.getStyler().setXAxisMin(Math.max(0, min - pad)).setXAxisMax(max + pad);
        }
    }

    static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .build();
        XYStyler st = c.getStyler();
        Font base = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderVisible(false);
        st.setPlotGridLinesColor(new Color(0xe6e6e6));
        st.setChartTitleVisible(false);
        st.setChartFontColor(new Color(0x222222));
        st.setAxisTickLabelsFont(base);
        st.setAxisTitleFont(base.deriveFont(Font.BOLD));
        st.setLegendFont(base);
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setLegendLayout(Styler.LegendLayout.Horizontal);
        st.setLegendBorderColor(Color.WHITE);
        st.setMarkerSize(7);
        st.setAxisTickLabelsColor(new Color(0x333333));
        return c;
    }
}
