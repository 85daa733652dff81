package org.lwktlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.experiment.Experiments;
import org.lwktlab.lab.run.RunResults;
import org.lwktlab.lab.run.RunSpec;
import org.lwktlab.lab.run.Runner;
import org.lwktlab.lab.run.TrialRecord;
import org.lwktlab.lwkt.KernelConfig;

/**
 * Every experiment design that declares itself deterministic passes its correctness checks as a
 * simulation, and replays: one seed writes one event log, byte for byte; another seed another. Among
 * them every design of {@code slab-remote-free} (the slab's leak report at shutdown drives the
 * simulation), the VFS experiments' message designs and both network designs.
 */
class DeterministicRunTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    static List<Experiment> deterministicExperiments() {
        return Experiments.load().all().stream().filter(e -> !e.deterministicDesigns().isEmpty()).toList();
    }

    /** Settings that keep a simulated run of an experiment short (the defaults are sized for real runs). */
    private static final Map<String, Map<String, String>> SMALL = Map.of(
            "vfs-mix", Map.of("clients", "3", "files", "4", "width", "2"),
            "netisr-rr", Map.of("conns", "4"),
            "netisr-stream", Map.of("conns", "3"),
            "netisr-connect", Map.of("conns", "4"));

    private static RunResults run(Experiment e, long seed, Path dir, String name) {
        int cpus = Math.max(3, e.minCpus());
        RunSpec spec = new RunSpec(e, e.deterministicDesigns(), List.of(cpus), Duration.ofMillis(1), Duration.ofMillis(3), 1,
                List.of(), seed, dir.resolve(name), KernelConfig.Pin.AUTO, SMALL.getOrDefault(e.name(), Map.of()), "test",
                true, dir.resolve(name + ".log"));
        return new Runner(spec, QUIET).run();
    }

    @Test
    void everyExperimentWhoseLoadRunsInTheKernelHasDeterministicDesigns() {
        Experiments all = Experiments.load();
        for (String name : List.of("slab-remote-free", "vfs-mix", "vfs-stream", "netisr-rr", "netisr-stream",
                "netisr-connect")) {
            assertTrue(all.get(name).deterministicDesigns().contains("message"), name + " lists no message design");
        }
        assertEquals(List.of("message", "message-copy"), all.get("vfs-mix").deterministicDesigns(),
                "the vfs mutex design holds a vnode lock where a remote free may wait for IPI ring space");
    }

    @Test
    void theNetworkHardclockThreadIsRefusedInASimulation(@TempDir Path dir) {
        Experiment rr = Experiments.load().get("netisr-rr");
        RunSpec spec = new RunSpec(rr, List.of("message"), List.of(2), Duration.ZERO, Duration.ofMillis(1), 1, List.of(), 1,
                dir.resolve("out"), KernelConfig.Pin.AUTO, Map.of("clock", "hardclock"), "test", true, null);
        RunResults r = new Runner(spec, QUIET).run();
        assertTrue(!r.complete() && r.incompleteReason().contains("--set clock=hardclock cannot run with --deterministic"),
                String.valueOf(r.incompleteReason()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deterministicExperiments")
    void passesItsChecksAndReplaysByteForByte(Experiment e, @TempDir Path dir) throws Exception {
        RunResults a = run(e, 5, dir, "a");
        RunResults b = run(e, 5, dir, "b");
        RunResults c = run(e, 6, dir, "c");
        for (RunResults r : List.of(a, b, c)) {
            assertTrue(r.complete(), "run was cut short: " + r.runs());
            for (TrialRecord t : r.runs()) {
                assertTrue(t.ok(), e.name() + " " + t.design() + ": " + t.checks());
                assertTrue(t.ops() > 0, e.name() + " " + t.design() + " did no work in simulated time");
                assertEquals(0.003, t.elapsedS(), 1e-9, "the window is simulated time");
            }
        }
        for (int i = 0; i < a.runs().size(); i++) {
            assertEquals(a.runs().get(i).ops(), b.runs().get(i).ops(), "one seed, different op counts");
            assertEquals(a.runs().get(i).counters(), b.runs().get(i).counters(), "one seed, different counters");
        }
        String logA = Files.readString(dir.resolve("a.log"));
        assertTrue(logA.lines().count() > 1000, "short event log");
        assertEquals(logA, Files.readString(dir.resolve("b.log")), "one seed wrote two different event logs");
        assertNotEquals(logA, Files.readString(dir.resolve("c.log")), "two seeds wrote the same event log");
    }

    @Test
    void designsThatCannotBeSimulatedAreRefusedNamingThoseThatCan() {
        Experiment su = Experiments.load().get("shared-update");
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new RunSpec(su,
                List.of("message", "mutex"), List.of(2), Duration.ZERO, Duration.ofMillis(1), 1, List.of(), 1, Path.of("x"),
                KernelConfig.Pin.AUTO, Map.of(), "t", true, null));
        assertTrue(ex.getMessage().contains("'mutex'") && ex.getMessage().contains("designs that can: message, token"),
                ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> new RunSpec(su, List.of("message"), List.of(2),
                Duration.ZERO, Duration.ofMillis(1), 1, List.of(), 1, Path.of("x"), KernelConfig.Pin.AUTO, Map.of(), "t", false,
                Path.of("log")));
        assertTrue(ex.getMessage().contains("--event-log needs --deterministic"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> new RunSpec(su, List.of("message"), List.of(2),
                Duration.ZERO, Duration.ofMillis(1), 1, List.of(1000.0), 1, Path.of("x"), KernelConfig.Pin.AUTO, Map.of(), "t", true,
                null));
        assertTrue(ex.getMessage().contains("--rate"), ex.getMessage());
    }
}
