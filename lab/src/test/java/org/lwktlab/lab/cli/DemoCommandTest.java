package org.lwktlab.lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lwktlab.lab.experiment.Experiments;
import org.lwktlab.lab.run.ResultsWriter;

/** The demo writes one report per experiment of the tour and an index linking them, and says where first. */
class DemoCommandTest {
    @Test
    void demoWritesAReportPerExperimentAndAnIndex(@TempDir Path dir) throws Exception {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.out;
        int status;
        try {
            System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
            status = LabMain.commandLine().execute("demo", "--out", dir.toString(), "--duration", "200ms");
        } finally {
            System.setOut(saved);
        }
        String out = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, status, out);
        Path index = dir.resolve("index.html");
        assertTrue(out.lines().findFirst().orElse("").contains("The report: " + index), "the demo opens with where the report is:\n" + out);
        String html = Files.readString(index);
        for (DemoCommand.Stop s : DemoCommand.TOUR) {
            if (Experiments.load().all().stream().noneMatch(e -> e.name().equals(s.experiment()))) {
                continue;
            }
            Path report = dir.resolve(s.experiment()).resolve("report.html");
            assertTrue(Files.isRegularFile(report), "no report for " + s.experiment());
            assertTrue(html.contains("href=\"" + s.experiment() + "/report.html\""), "index does not link " + s.experiment());
            assertTrue(ResultsWriter.read(dir.resolve(s.experiment())).complete());
        }
    }

    @Test
    void theTourFitsItsBudget() {
        assertEquals(Duration.ofSeconds(2), DemoCommand.perTrial(10));
        assertEquals(Duration.ofMillis(1600), DemoCommand.perTrial(24));
        assertEquals(Duration.ofSeconds(1), DemoCommand.perTrial(100));
    }
}
