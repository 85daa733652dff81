package org.lwktlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.lwktlab.lab.cli.LabMain;
import picocli.CommandLine;

/** Bad metrics options of {@code bin/lab run} and {@code bin/lab stat} are rejected with exit 2 and a reason. */
class MetricsCliTest {
    private static String[] run(String... args) {
        CommandLine cl = LabMain.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int rc = cl.execute(args);
        return new String[] {Integer.toString(rc), err.toString()};
    }

    @Test
    void lingerNeedsServeMetrics() {
        String[] r = run("run", "ipi-pingpong", "--linger");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("--serve-metrics"), r[1]);
    }

    @Test
    void aBadAddressNamesTheExpectedForm() {
        String[] r = run("run", "ipi-pingpong", "--serve-metrics", "9400");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("HOST:PORT"), r[1]);
    }

    @Test
    void aBadSampleIntervalNamesTheRange() {
        String[] r = run("run", "ipi-pingpong", "--sample-interval", "20s");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("between 1ms and 10s"), r[1]);
    }

    @Test
    void statOnAMissingFileSaysSo() {
        String[] r = run("stat", "--file", "/nonexistent/lwkt.counters");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("no such counters file"), r[1]);
    }

    @Test
    void statRejectsATooShortInterval() {
        String[] r = run("stat", "--interval", "10ms");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("at least 100ms"), r[1]);
    }
}
