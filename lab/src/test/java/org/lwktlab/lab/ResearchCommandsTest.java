package org.lwktlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.lwktlab.lab.cli.LabMain;
import picocli.CommandLine;

/**
 * {@code bin/lab trace} and {@code bin/lab sweep} as a user runs them (through {@link LabMain}'s command
 * line): trace prints origin chains that name the sending thread and source line; sweep runs seeds and
 * says which passed; bad input exits 2 with a reason.
 */
class ResearchCommandsTest {
    private record Outcome(int status, String out, String err) {}

    private static Outcome lab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = LabMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Outcome(status, out.toString(), err.toString());
    }

    @Test
    void traceShowsWhoSentEachSampledMessageAndALeakFreeShutdown() {
        Outcome o = lab("trace", "shared-update", "--design", "message", "--cpus", "2", "--duration", "50ms",
                "--skip", "10");
        assertEquals(0, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("provenance on"), o.out());
        assertTrue(o.out().contains("== handled by shared-update-server (requests):"), o.out());
        assertTrue(o.out().contains("was sent to port 'shared-update-server' by thread 'client"), o.out());
        assertTrue(o.out().contains("(SharedUpdate.java:"), "no source line of the sender:\n" + o.out());
        assertTrue(o.out().contains("== handler errors: 0"), o.out());
        assertTrue(o.out().contains("== unreplied at shutdown: 0"), o.out());
    }

    @Test
    void traceOfADeterministicSimulationReplaysTheSameChains() {
        String[] args = {"trace", "chain-vs-domsg", "--design", "kernel-chain", "--cpus", "3", "--deterministic",
            "--seed", "4", "--duration", "1ms", "--skip", "5", "--set", "provenance.frames=3"};
        Outcome a = lab(args);
        Outcome b = lab(args);
        assertEquals(0, a.status(), a.out() + a.err());
        assertTrue(a.out().contains("(deterministic, seed 4)"), a.out());
        assertTrue(a.out().contains("which was sent while handling"), "a chain step names its cause:\n" + a.out());
        assertEquals(replayable(a.out()), replayable(b.out()));
    }

    /**
     * A trace without what depends on the run rather than the seed: identity hash codes, and the count of
     * the probe sampler, a real-time thread beside the simulation.
     */
    private static String replayable(String trace) {
        return trace.replaceAll("@\\p{XDigit}+", "@").replaceAll("(?m)^.*probe sampler read every probe.*$", "");
    }

    @Test
    void sweepRunsEverySeedAndSaysTheyPassed() {
        Outcome o = lab("sweep", "shared-update", "--design", "message", "--cpus", "2", "--seeds", "5", "--from", "10",
                "--duration", "1ms");
        assertEquals(0, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("seeds 10..14"), o.out());
        assertTrue(o.out().contains("design message: all 5 seeds passed"), o.out());
    }

    @Test
    void badInputIsRefusedWithAReason() {
        Outcome o = lab("sweep", "shared-update", "--seeds", "0");
        assertEquals(2, o.status(), o.out() + o.err());
        assertTrue(o.err().contains("--seeds must be >= 1, got 0"), o.err());
        o = lab("sweep", "shared-update", "--design", "mutex", "--seeds", "1");
        assertEquals(2, o.status(), o.out() + o.err());
        assertTrue(o.err().contains("designs that can: message, token"), o.err());
        o = lab("trace", "shared-update", "--set", "provenance.depth");
        assertEquals(2, o.status(), o.out() + o.err());
        assertTrue(o.err().contains("expected KEY=VALUE"), o.err());
    }
}
