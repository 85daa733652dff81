package org.lwktlab.lab.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.lwktlab.lab.run.Comparison;
import org.lwktlab.lab.run.RunResults;
import org.lwktlab.lab.stats.Metric;

/** The demo's {@code index.html}: one entry per experiment of the tour, linking its report. */
public final class DemoIndex {
    /** One experiment of the tour: its results (null while it has not run) and folder name. */
    public record Entry(String experiment, String question, String folder, RunResults results) {}

    private DemoIndex() {}

    /** Writes {@code dir/index.html} and returns its path. */
    public static Path write(Path dir, List<Entry> entries) throws IOException {
        Html h = new Html();
        h.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>LWKT Lab demo</title>\n<style>\n")
                .raw(ReportWriter.CSS).raw("</style>\n</head>\n<body>\n<header>\n<h1>LWKT Lab demo</h1>\n<p class=\"question\">"
                        + "When do subsystems that talk only by messages between CPU-owned threads beat subsystems that share"
                        + " memory under locks — and why?</p>\n<p class=\"meta\">One short run per experiment; each link opens"
                        + " its full report (plots, cost per operation, machine, command line).</p>\n</header>\n<section>\n");
        for (Entry e : entries) {
            h.raw("<h2 id=\"").text(e.experiment()).raw("\">");
            if (e.results() != null) {
                h.raw("<a class=\"report\" href=\"").text(e.folder() + "/" + ReportWriter.FILE).raw("\">").text(e.experiment())
                        .raw("</a>");
            } else {
                h.text(e.experiment());
            }
            h.raw("</h2>\n<p class=\"question\">").text(e.question()).raw("</p>\n");
            if (e.results() == null) {
                h.raw("<p class=\"note\">Not run (yet).</p>\n");
                continue;
            }
            RunResults r = e.results();
            if (!r.complete()) {
                h.raw("<p class=\"banner bad\">").text("Incomplete: " + r.incompleteReason()).raw("</p>\n");
            }
            List<Comparison> throughput = r.comparisons().stream()
                    .filter(c -> c.metric().equals(Metric.THROUGHPUT.key())).toList();
            if (!throughput.isEmpty()) {
                ReportWriter.comparisonTableFor(h, throughput);
            }
            h.raw("<p><a href=\"").text(e.folder() + "/" + ReportWriter.FILE).raw("\">Open the ").text(e.experiment())
                    .raw(" report</a> · <a href=\"").text(e.folder() + "/results.json").raw("\">results.json</a></p>\n");
        }
        h.raw("</section>\n<footer>Written by <code>bin/lab demo</code>.</footer>\n</body>\n</html>\n");
        Files.createDirectories(dir);
        Path file = dir.resolve("index.html");
        Files.writeString(file, h.toString());
        return file;
    }
}
