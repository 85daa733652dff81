package org.lwktlab.lab.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.lwktlab.lab.experiment.Check;
import org.lwktlab.lab.run.Comparison;
import org.lwktlab.lab.run.Format;
import org.lwktlab.lab.run.MachineInfo;
import org.lwktlab.lab.run.ResultsWriter;
import org.lwktlab.lab.run.RunResults;
import org.lwktlab.lab.run.TrialRecord;
import org.lwktlab.lab.stats.Metric;
import org.lwktlab.lab.stats.Ratios;

/**
 * Writes {@code report.html}: a self-contained page (inline CSS, plots as PNG data URIs, no script, no
 * network) with the verdicts, the summary, the plots, the cost per operation, the checks, the machine
 * and the exact command line — everything from {@code results.json}, so {@code bin/lab report}
 * rebuilds it identically.
 */
public final class ReportWriter {
    /** The file name a report is written under. */
    public static final String FILE = "report.html";

    private ReportWriter() {}

    /** The folder beside the report that holds each of its plots as a PNG file, for papers and slides. */
    public static final String PLOTS = "plots";

    /**
     * Renders {@code r} into {@code dir/report.html}, writes each plot the page shows as
     * {@code dir/plots/ID.png} (the figure's anchor id), and returns the report's path. PNG files left in
     * {@code plots/} by an earlier rendering are removed first, so the folder always matches the page.
     */
    public static Path write(RunResults r, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Plot> shown = new ArrayList<>();
        String page = render(r, shown);
        Path plots = dir.resolve(PLOTS);
        if (Files.isDirectory(plots)) {
            try (var old = Files.newDirectoryStream(plots, "*.png")) {
                for (Path f : old) {
                    Files.delete(f);
                }
            }
        }
        if (!shown.isEmpty()) {
            Files.createDirectories(plots);
            for (Plot p : shown) {
                Files.write(plots.resolve(p.id().replaceAll("[^A-Za-z0-9._-]", "_") + ".png"), p.png());
            }
        }
        Path file = dir.resolve(FILE);
        Files.writeString(file, page);
        return file;
    }

    /** Reads {@code dir/results.json} and writes {@code dir/report.html} from it. */
    public static Path rebuild(Path dir) throws IOException {
        return write(ResultsWriter.read(dir), Files.isDirectory(dir) ? dir : dir.toAbsolutePath().getParent());
    }

    /** The page for {@code r}. */
    public static String render(RunResults r) {
        return render(r, new ArrayList<>());
    }

    /** The page for {@code r}; every plot it shows is added to {@code shown}. */
    private static String render(RunResults r, List<Plot> shown) {
        Charts charts = new Charts(r);
        Html h = new Html();
        h.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .raw("<title>").text("LWKT Lab — " + r.experiment()).raw("</title>\n<style>\n").raw(CSS).raw("</style>\n</head>\n<body>\n");
        header(h, r);
        verdicts(h, r);
        summary(h, r, charts);
        plots(h, shown, "throughput", "Throughput", null, charts.throughput(),
                "No trial finished with operations counted, so there is no throughput to plot.");
        List<Plot> latency = new ArrayList<>(charts.latencyVsLoad());
        latency.addAll(charts.latencyPercentiles());
        plots(h, shown, "latency", "Latency", "Percentiles per design: where the tail lies matters as much as the median.",
                latency, "No trial recorded any latency.");
        plots(h, shown, "queue-depth", "Queue depth over time", "How deep each hand-off point's queue ran, sampled through"
                + " the trial: where work piles up.", charts.queueDepth(), "No hand-off point was sampled: the designs"
                + " of this run queue nothing (a lock-only run), or the results predate the probe sampler.");
        plots(h, shown, "coalescing", "Coalescing", "How much work each drain and each wake-up amortises, against load.",
                charts.coalescing(), "No design of this run hands work through IPI rings or ports (a lock-only run),"
                        + " so there is no coalescing to show.");
        cost(h, r, charts);
        checks(h, r);
        machine(h, r);
        trials(h, r);
        h.raw("<footer>Written by LWKT Lab from <code>results.json</code> (results schema v").text(Integer.toString(r.schemaVersion()))
                .raw("). Rebuild with <code>bin/lab report DIR</code>. Every plot is also a PNG file in <code>plots/</code>"
                + " beside this page, named after its anchor.</footer>\n</body>\n</html>\n");
        return h.toString();
    }

    // ------------------------------------------------------------------ sections

    private static void header(Html h, RunResults r) {
        h.raw("<header>\n<h1>").text(r.experiment()).raw("</h1>\n<p class=\"question\">").text(r.question()).raw("</p>\n");
        RunResults.Config c = r.config();
        String load = "open".equals(c.load())
                ? "open loop at " + c.rates().stream().map(x -> Format.si(x) + " ops/s").collect(Collectors.joining(", "))
                + " (latency from each operation's intended start)"
                : "closed loop (each generator waits for its operation before issuing the next)";
        h.raw("<p class=\"meta\">").text(r.runs().size() + " trials · designs " + String.join(", ", c.designs()) + " · CPUs "
                + c.cpus().stream().map(String::valueOf).collect(Collectors.joining(", ")) + " · " + Format.number(c.warmupS())
                + " s warm-up + " + Format.number(c.durationS()) + " s measured per trial · " + load).raw("</p>\n");
        h.raw("<p class=\"meta\">").text("Started " + r.started() + ", finished " + r.finished()).raw("</p>\n");
        if (!r.complete()) {
            h.raw("<p class=\"banner bad\"><strong>Incomplete run.</strong> ").text(
                    r.incompleteReason() == null ? "The run was cut short." : r.incompleteReason()).raw("</p>\n");
        }
        List<String> failed = ResultsWriter.failedChecks(r);
        if (!failed.isEmpty()) {
            h.raw("<p class=\"banner bad\"><strong>").text(failed.size() + " correctness check"
                    + (failed.size() == 1 ? "" : "s") + " failed").raw("</strong>: those trials are left out of every"
                    + " figure below. See <a href=\"#checks\">Checks</a>.</p>\n");
        }
        h.raw("</header>\n");
    }

    private static void verdicts(Html h, RunResults r) {
        h.raw("<section id=\"verdicts\">\n<h2>Verdicts</h2>\n");
        if (r.comparisons().isEmpty()) {
            h.raw("<p class=\"note\">").text(r.config().designs().size() < 2
                    ? "One design in this run: nothing to compare. Run two or more (--design a,b) for verdicts."
                    : "No comparison could be made (no pair of designs has passing trials at the same CPU count and load).")
                    .raw("</p>\n</section>\n");
            return;
        }
        Comparison first = r.comparisons().getFirst();
        h.raw("<p class=\"note\">").text("Each row is the ratio A / B of a metric, with its 95% confidence interval over "
                + "trials (" + first.method() + (Ratios.PAIRED.equals(first.method())
                ? ": trials are paired by trial number, because the runner interleaves designs trial by trial; the "
                + "interval is Student's t on the per-trial log-ratios, n − 1 degrees of freedom"
                : ": the interval is Welch's t on the logs of the two samples")
                + "). A verdict is given only where the interval excludes 1; with one trial there is no interval and "
                + "no verdict.").raw("</p>\n");
        List<Metric> headline = List.of(Metric.THROUGHPUT, Metric.P50, Metric.P99, Metric.P999);
        List<Comparison> main = r.comparisons().stream()
                .filter(c -> headline.stream().anyMatch(m -> m.key().equals(c.metric()))).toList();
        List<Comparison> rest = r.comparisons().stream().filter(c -> !main.contains(c)).toList();
        comparisonTable(h, main);
        if (!rest.isEmpty()) {
            h.raw("<details><summary>").text("Ratios of the \"why\" figures (" + rest.size() + ")").raw("</summary>\n");
            comparisonTable(h, rest);
            h.raw("</details>\n");
        }
        h.raw("</section>\n");
    }

    /** A table of comparisons (the demo's index shows the throughput ones). */
    static void comparisonTableFor(Html h, List<Comparison> cs) {
        comparisonTable(h, cs);
    }

    private static void comparisonTable(Html h, List<Comparison> cs) {
        boolean open = cs.stream().anyMatch(c -> c.rate() != null);
        h.raw("<table class=\"cmp\">\n<thead><tr><th>CPUs</th>").raw(open ? "<th>load</th>" : "")
                .raw("<th>metric</th><th>A / B</th><th>ratio</th><th>95% CI</th><th>n</th><th>verdict</th></tr></thead>\n<tbody>\n");
        for (Comparison c : cs) {
            String cls = c.verdict() == null ? "none" : c.better() == null ? "diff" : "win";
            h.raw("<tr class=\"").raw(cls).raw("\"><td>").text(Integer.toString(c.cpus())).raw("</td>");
            if (open) {
                h.raw("<td>").text(c.rate() == null ? "closed" : Format.si(c.rate()) + "/s").raw("</td>");
            }
            h.raw("<td>").text(c.label()).raw("</td><td>").text(c.a() + " / " + c.b()).raw("</td><td class=\"num\">")
                    .text(String.format(Locale.ROOT, "%.3g×", c.ratio())).raw("</td><td class=\"num\">")
                    .text(c.low() == null ? "—" : String.format(Locale.ROOT, "%.3g – %.3g", c.low(), c.high()))
                    .raw("</td><td class=\"num\">").text(Integer.toString(c.n())).raw("</td><td>");
            if (c.verdict() == null) {
                h.text(c.low() == null ? "no interval (1 trial)" : "no clear difference");
            } else {
                if (c.better() != null) {
                    h.raw("<strong>").text(c.better() + " better").raw("</strong>: ");
                }
                h.text(c.verdict());
            }
            h.raw("</td></tr>\n");
        }
        h.raw("</tbody></table>\n");
    }

    private static void summary(Html h, RunResults r, Charts charts) {
        h.raw("<section id=\"summary\">\n<h2>Summary</h2>\n<p class=\"note\">Medians over the trials that passed their"
                + " checks.</p>\n");
        boolean open = r.summary().stream().anyMatch(s -> s.rate() != null);
        h.raw("<table>\n<thead><tr><th>design</th><th>CPUs</th>").raw(open ? "<th>offered</th>" : "")
                .raw("<th>trials</th><th>ops/s</th><th>p50</th><th>p99</th><th>p99.9</th><th>IPIs/drain</th>"
                        + "<th>msgs/run</th><th>wake-ups skipped</th><th>lock contended</th><th>checks</th></tr></thead>\n<tbody>\n");
        for (RunResults.Summary s : r.summary()) {
            h.raw("<tr><td>").swatch(charts.colour(s.design())).text(s.design()).raw("</td><td class=\"num\">")
                    .text(Integer.toString(s.cpus())).raw("</td>");
            if (open) {
                h.raw("<td class=\"num\">").text(s.rate() == null ? "—" : Format.si(s.rate()) + "/s").raw("</td>");
            }
            h.raw("<td class=\"num\">").text(Integer.toString(s.trials())).raw("</td>");
            for (String v : List.of(Format.rate(s.opsPerSec()), Format.nanos(s.latencyP50Ns()), Format.nanos(s.latencyP99Ns()),
                    Format.nanos(s.latencyP999Ns()), Format.number(s.derived().get("ipi_per_drain")),
                    Format.number(s.derived().get("msgs_per_run")), Format.percent(s.derived().get("wakeups_skipped_ratio")),
                    Format.percent(s.derived().get("lock_contended_ratio")))) {
                h.raw("<td class=\"num\">").text(v).raw("</td>");
            }
            h.raw(s.ok() ? "<td class=\"ok\">passed</td>" : "<td class=\"bad\">FAILED</td>").raw("</tr>\n");
        }
        h.raw("</tbody></table>\n</section>\n");
    }

    private static void plots(Html h, List<Plot> onPage, String id, String title, String intro, List<Plot> plots,
                              String empty) {
        h.raw("<section id=\"").raw(id).raw("\">\n<h2>").text(title).raw("</h2>\n");
        if (intro != null) {
            h.raw("<p class=\"note\">").text(intro).raw("</p>\n");
        }
        if (plots.isEmpty()) {
            h.raw("<p class=\"note empty\">").text(empty).raw("</p>\n");
        }
        int shown = 0;
        for (Plot p : plots) {
            if (shown++ == Charts.MAX_PLOTS) {
                h.raw("<p class=\"note\">").text((plots.size() - Charts.MAX_PLOTS) + " more plots of this kind left out;"
                        + " results.json has every number.").raw("</p>\n");
                break;
            }
            onPage.add(p);
            h.raw("<figure class=\"plot\" id=\"").raw(p.id()).raw("\" data-series=\"").raw(Integer.toString(p.series()))
                    .raw("\" data-points=\"").raw(Integer.toString(p.points())).raw("\" data-legend=\"").raw(p.legend())
                    .raw("\">\n<figcaption><strong>")
                    .text(p.title()).raw("</strong><br>").text(p.caption()).raw("</figcaption>\n<img alt=\"")
                    .text(p.title()).raw("\" width=\"").raw(Integer.toString(p.width())).raw("\" height=\"")
                    .raw(Integer.toString(p.height())).raw("\" src=\"data:image/png;base64,")
                    .raw(Base64.getEncoder().encodeToString(p.png())).raw("\">\n</figure>\n");
        }
        h.raw("</section>\n");
    }

    private static void cost(Html h, RunResults r, Charts charts) {
        h.raw("<section id=\"cost\">\n<h2>Cost per operation, amortised</h2>\n<p class=\"note\">Each cell: a counter's"
                + " increase over the measured window divided by the operations in it, median over passing trials. A blank"
                + " cell: the design has no such mechanism. This is the table that says <em>why</em> a design won.</p>\n");
        List<CostTable.Row> rows = CostTable.rows(r.runs());
        if (rows.isEmpty()) {
            h.raw("<p class=\"note empty\">No passing trial with operations.</p>\n</section>\n");
            return;
        }
        boolean open = rows.stream().anyMatch(x -> x.group().rate() != null);
        h.raw("<table>\n<thead><tr><th>design</th><th>CPUs</th>").raw(open ? "<th>offered</th>" : "");
        for (CostTable.Column c : CostTable.COLUMNS) {
            h.raw("<th title=\"").text(c.definition()).raw("\">").text(c.header()).raw("</th>");
        }
        h.raw("</tr></thead>\n<tbody>\n");
        for (CostTable.Row row : rows) {
            h.raw("<tr><td>").swatch(charts.colour(row.group().design())).text(row.group().design())
                    .raw("</td><td class=\"num\">").text(Integer.toString(row.group().cpus())).raw("</td>");
            if (open) {
                h.raw("<td class=\"num\">").text(row.group().rate() == null ? "—" : Format.si(row.group().rate()) + "/s")
                        .raw("</td>");
            }
            for (int i = 0; i < CostTable.COLUMNS.size(); i++) {
                Double v = row.cells().get(i);
                String text = v == null ? "" : CostTable.COLUMNS.get(i).nanos() ? Format.nanos(v)
                        : String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 0.01 || v == 0 ? "%.3f" : "%.2e", v);
                h.raw("<td class=\"num\">").text(text).raw("</td>");
            }
            h.raw("</tr>\n");
        }
        h.raw("</tbody></table>\n<dl class=\"defs\">\n");
        for (CostTable.Column c : CostTable.COLUMNS) {
            h.raw("<dt>").text(c.header()).raw("</dt><dd>").text(c.definition()).raw("</dd>\n");
        }
        h.raw("</dl>\n</section>\n");
    }

    private static void checks(Html h, RunResults r) {
        h.raw("<section id=\"checks\">\n<h2>Checks</h2>\n");
        List<String> failed = ResultsWriter.failedChecks(r);
        Set<String> names = new LinkedHashSet<>();
        int total = 0;
        for (TrialRecord t : r.runs()) {
            for (Check c : t.checks()) {
                names.add(c.name());
                total++;
            }
        }
        if (failed.isEmpty()) {
            h.raw("<p class=\"ok\">").text("All " + total + " checks of " + r.runs().size() + " trials held:").raw("</p>\n<ul>\n");
            for (String n : names) {
                h.raw("<li>").text(n).raw("</li>\n");
            }
            h.raw("</ul>\n");
        } else {
            h.raw("<ul class=\"bad\">\n");
            for (String f : failed) {
                h.raw("<li>").text(f).raw("</li>\n");
            }
            h.raw("</ul>\n");
        }
        h.raw("</section>\n");
    }

    private static void machine(Html h, RunResults r) {
        MachineInfo m = r.machine();
        RunResults.Config c = r.config();
        h.raw("<section id=\"machine\">\n<h2>Machine and how to reproduce</h2>\n<pre class=\"cmd\">").text(r.command())
                .raw("</pre>\n<dl>\n");
        int maxCpus = c.cpus().stream().mapToInt(Integer::intValue).max().orElse(0);
        row(h, "cores", Integer.toString(m.cores()) + (m.cpuModel() == null ? "" : " × " + m.cpuModel()));
        row(h, "JDK", m.jdk() + " (" + m.vm() + ")");
        row(h, "OS", m.os());
        row(h, "pinned", m.pinned() ? "yes: every CPU thread was pinned to its own core"
                : "no" + (m.pinningSupported() ? " (pinning is possible here; see --pin)" : " (pinning is not supported here)"));
        row(h, "oversubscribed", m.oversubscribed()
                ? "yes: up to " + maxCpus + " simulated CPUs on " + m.cores() + " cores, so CPUs time-share cores — absolute"
                + " figures are pessimistic; designs still ran under the same conditions"
                : "no: every trial had at most one simulated CPU per core");
        row(h, "other load", m.loadAverage() == null ? "not recorded (the OS gives no load average, or the results predate it)"
                : String.format(Locale.ROOT, "load average %.1f on %d cores before the first trial", m.loadAverage(), m.cores())
                + (m.busy() ? ": other work was competing for the cores, so figures are noisier and lower than on an"
                + " idle machine; the designs shared it alike, since trials interleave" : ": the machine was otherwise quiet"));
        row(h, "load model", "open".equals(c.load()) ? "open loop, offered " + c.rates().stream()
                .map(x -> Format.si(x) + " ops/s").collect(Collectors.joining(", ")) + " in total; latency from each"
                + " operation's intended start (no coordinated omission)" : "closed loop");
        row(h, "timings", Format.number(c.warmupS()) + " s warm-up, " + Format.number(c.durationS()) + " s measured, "
                + c.trials() + " trials, seed " + c.seed() + ", pin " + c.pin());
        row(h, "experiment settings", settings(c.params()));
        row(h, "kernel settings", c.kernel().isEmpty() ? "defaults" : settings(c.kernel()));
        h.raw("</dl>\n</section>\n");
    }

    private static String settings(Map<String, String> m) {
        return m.isEmpty() ? "none" : m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static void row(Html h, String k, String v) {
        h.raw("<dt>").text(k).raw("</dt><dd>").text(v).raw("</dd>\n");
    }

    private static void trials(Html h, RunResults r) {
        h.raw("<section id=\"trials\">\n<details><summary>").text("Every trial, in the order it ran (" + r.runs().size() + ")")
                .raw("</summary>\n<table>\n<thead><tr><th>#</th><th>design</th><th>CPUs</th><th>load</th><th>trial</th>"
                        + "<th>ops</th><th>ops/s</th><th>p50</th><th>p99</th><th>p99.9</th><th>max</th><th>pinned</th>"
                        + "<th>checks</th></tr></thead>\n<tbody>\n");
        for (TrialRecord t : r.runs()) {
            h.raw("<tr><td class=\"num\">").text(Integer.toString(t.order())).raw("</td><td>").text(t.design())
                    .raw("</td><td class=\"num\">").text(Integer.toString(t.cpus())).raw("</td><td class=\"num\">")
                    .text(t.offeredRate() == null ? "closed" : Format.si(t.offeredRate()) + "/s").raw("</td>");
            for (String v : List.of(Integer.toString(t.trial()), Long.toString(t.ops()), Format.rate(t.opsPerSec()),
                    Format.nanos(t.latencyNs().p50()), Format.nanos(t.latencyNs().p99()), Format.nanos(t.latencyNs().p999()),
                    Format.nanos(t.latencyNs().max()), t.pinned() ? "yes" : "no")) {
                h.raw("<td class=\"num\">").text(v).raw("</td>");
            }
            h.raw(t.ok() ? "<td class=\"ok\">passed</td>" : "<td class=\"bad\">FAILED</td>").raw("</tr>\n");
        }
        h.raw("</tbody></table>\n</details>\n</section>\n");
    }

    static final String CSS = """
            body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0 auto;
              max-width:1100px;padding:1.5em 2em;color:#1d1d1f;background:#fff}
            h1{margin:.2em 0 .1em;font-size:1.9em}h2{margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.2em}
            .question{font-size:1.15em;color:#333;margin:.2em 0 .6em}.meta{color:#555;margin:.15em 0;font-size:.92em}
            .banner{padding:.6em .9em;border-radius:6px}.banner.bad{background:#fdecea;border:1px solid #f5c2bd}
            .note{color:#555;font-size:.93em}.empty{font-style:italic}
            table{border-collapse:collapse;margin:.6em 0;font-size:.9em}th,td{padding:.3em .6em;border-bottom:1px solid #eee;
              text-align:left;vertical-align:top}th{background:#f6f6f8;font-weight:600}td.num{text-align:right;
              font-variant-numeric:tabular-nums;white-space:nowrap}
            tr.win td{background:#eef8ee}tr.diff td{background:#f3f6fb}tr.none td{color:#666}
            .ok{color:#1a7f37}.bad{color:#b42318}
            .swatch{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.4em;vertical-align:-1px}
            figure.plot{margin:1.2em 0;padding:0}figure.plot img{max-width:100%;height:auto;border:1px solid #eee;
              border-radius:4px}figcaption{font-size:.9em;color:#444;margin-bottom:.4em;max-width:760px}
            pre.cmd{background:#f6f6f8;padding:.6em .8em;border-radius:6px;white-space:pre-wrap;word-break:break-all}
            dl{display:grid;grid-template-columns:max-content 1fr;gap:.25em 1em}dt{font-weight:600}dd{margin:0}
            dl.defs{font-size:.88em;color:#444}details summary{cursor:pointer;margin:.6em 0}
            footer{margin-top:3em;color:#777;font-size:.85em;border-top:1px solid #eee;padding-top:.8em}
            """;
}
