package org.lwktlab.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lwktlab.lab.TestRuns;
import org.lwktlab.lab.run.ResultsWriter;
import org.lwktlab.lab.run.RunResults;

/**
 * Opens real reports in a real headless Chromium: the page renders, every plot's image decoded and has
 * data drawn in it (coloured pixels outside the legend — the charts draw axes, grid and text in greys
 * only), there are no console errors, and the page requested nothing but itself (no network). Where
 * Chromium is missing the test is skipped — except in CI ({@code CI=true}), where it fails.
 * Screenshots are left in {@code target/report-screenshots/} for a human to look at.
 */
class ReportBrowserTest {
    /** Measures each figure: decoded size, and coloured pixels outside the legend band. */
    static final String PROBE = """
            (() => {
              const figs = [...document.querySelectorAll('figure.plot')].map(f => {
                const img = f.querySelector('img');
                let coloured = 0;
                if (img && img.complete && img.naturalWidth > 0) {
                  const c = document.createElement('canvas');
                  c.width = img.naturalWidth; c.height = img.naturalHeight;
                  const g = c.getContext('2d');
                  g.drawImage(img, 0, 0);
                  const east = f.dataset.legend === 'east';
                  const w = east ? Math.floor(c.width * 0.72) : c.width;
                  const h = east ? c.height : Math.floor(c.height * 0.86);
                  const d = g.getImageData(0, 0, w, h).data;
                  for (let i = 0; i < d.length; i += 4) {
                    const mx = Math.max(d[i], d[i + 1], d[i + 2]), mn = Math.min(d[i], d[i + 1], d[i + 2]);
                    if (mx - mn > 60) coloured++;
                  }
                }
                return {id: f.id, points: +f.dataset.points, series: +f.dataset.series,
                        natural: img ? img.naturalWidth : 0, shown: img ? img.getBoundingClientRect().width : 0, coloured};
              });
              const external = [...document.querySelectorAll('[src],[href]')]
                .map(e => e.getAttribute('src') || e.getAttribute('href'))
                .filter(u => !u.startsWith('data:') && !u.startsWith('#'));
              return JSON.stringify({title: document.title, h1: document.querySelector('h1').textContent,
                figures: figs, sections: [...document.querySelectorAll('section')].map(s => s.id),
                empty: [...document.querySelectorAll('.empty')].map(e => e.closest('section').id),
                external, bodyHeight: document.body.scrollHeight});
            })()
            """;

    static Path chromium() {
        Path p = HeadlessChromium.find();
        if (p == null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("chromium is not installed, and CI must look at the report in a real browser"
                        + " (.ci/run installs Debian's chromium; set CHROMIUM to another binary)");
            }
            Assumptions.abort("chromium not installed: the report's browser check is skipped outside CI");
        }
        return p;
    }

    @Test
    void closedLoopReportRendersWithDataInEveryPlot(@TempDir Path dir) throws Exception {
        check(TestRuns.closedLoop(), dir, "closed-loop",
                Set.of("throughput", "latency-2", "depth-message", "depth-token", "coalescing-drain", "coalescing-wakeups"));
    }

    @Test
    void openLoopReportRendersWithDataInEveryPlot(@TempDir Path dir) throws Exception {
        check(TestRuns.openLoop(), dir, "open-loop",
                Set.of("throughput-2", "latency-load-2", "latency-2-2k", "latency-2-8k", "depth-message-2k",
                        "coalescing-drain", "coalescing-wakeups"));
    }

    private static void check(RunResults r, Path dir, String name, Set<String> mustHave) throws Exception {
        Path browser = chromium();
        ResultsWriter.write(r, dir);
        Path html = ReportWriter.write(r, dir);
        try (HeadlessChromium c = new HeadlessChromium(browser)) {
            c.open(html);
            JsonNode page = c.evaluateJson(PROBE);
            c.screenshot(Path.of("target", "report-screenshots", name + ".png"), 1200);

            assertEquals("LWKT Lab — shared-update", page.path("title").asText());
            assertEquals("shared-update", page.path("h1").asText());
            for (String s : List.of("verdicts", "summary", "throughput", "latency", "queue-depth", "coalescing", "cost",
                    "checks", "machine", "trials")) {
                assertTrue(page.path("sections").toString().contains("\"" + s + "\""), "section " + s + " missing");
            }
            assertEquals(0, page.path("empty").size(), "sections without plots: " + page.path("empty"));
            Set<String> ids = new TreeSet<>();
            List<String> problems = new ArrayList<>();
            for (JsonNode f : page.path("figures")) {
                String id = f.path("id").asText();
                ids.add(id);
                if (f.path("points").asInt() <= 0 || f.path("series").asInt() <= 0) {
                    problems.add(id + ": no data series (" + f + ")");
                }
                if (f.path("natural").asInt() <= 0 || f.path("shown").asDouble() <= 0) {
                    problems.add(id + ": image did not render (" + f + ")");
                }
                if (f.path("coloured").asInt() < 40) {
                    problems.add(id + ": no data drawn in the plot area (" + f.path("coloured") + " coloured pixels)");
                }
            }
            assertTrue(problems.isEmpty(), String.join("\n", problems));
            assertTrue(ids.containsAll(mustHave), "plots " + ids + " lack some of " + mustHave);
            Set<String> files = new TreeSet<>();
            try (var pngs = Files.newDirectoryStream(dir.resolve(ReportWriter.PLOTS), "*.png")) {
                pngs.forEach(f -> files.add(f.getFileName().toString().replaceAll("\\.png$", "")));
            }
            assertEquals(ids, files, "plots/ must hold exactly the page's plots, one PNG per figure");
            assertEquals(0, page.path("external").size(), "the page refers outside itself: " + page.path("external"));
            List<String> requests = c.requests().stream().filter(u -> !u.startsWith("data:")).toList();
            assertEquals(List.of(html.toUri().toString()), requests, "the report must load nothing but itself");
            assertEquals(List.of(), c.errors(), "console errors");
        }
        assertTrue(Files.size(Path.of("target", "report-screenshots", name + ".png")) > 10_000);
    }
}
