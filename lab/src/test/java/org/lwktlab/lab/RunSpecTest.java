package org.lwktlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.experiment.Experiments;
import org.lwktlab.lab.run.Format;
import org.lwktlab.lab.run.RunSpec;
import org.lwktlab.lwkt.KernelConfig;

class RunSpecTest {
    private static RunSpec spec(List<String> designs, List<Integer> cpus, int trials, List<Double> rates,
                                Map<String, String> set) {
        return new RunSpec(Experiments.load().get("shared-update"), designs, cpus, Duration.ofSeconds(1),
                Duration.ofSeconds(1), trials, rates, 1, Path.of("x"), KernelConfig.Pin.AUTO, set, "test");
    }

    private static RunSpec spec(List<String> designs, List<Integer> cpus, int trials, Map<String, String> set) {
        return spec(designs, cpus, trials, List.of(), set);
    }

    @Test
    void trialsInterleaveDesignsNeverAllOfOneThenTheOther() {
        List<RunSpec.Slot> plan = spec(List.of("message", "mutex"), List.of(1, 2), 2, Map.of()).plan();
        List<String> order = plan.stream().map(s -> s.design() + s.cpus() + "t" + s.trial()).toList();
        assertEquals(List.of("message1t1", "mutex1t1", "message2t1", "mutex2t1",
                "message1t2", "mutex1t2", "message2t2", "mutex2t2"), order);
    }

    @Test
    void aLoadSweepInterleavesToo() {
        List<RunSpec.Slot> plan = spec(List.of("message", "mutex"), List.of(2), 2, List.of(1000.0, 5000.0), Map.of()).plan();
        List<String> order = plan.stream().map(s -> s.design() + "@" + Format.si(s.rate()) + "t" + s.trial()).toList();
        assertEquals(List.of("message@1kt1", "mutex@1kt1", "message@5kt1", "mutex@5kt1",
                "message@1kt2", "mutex@1kt2", "message@5kt2", "mutex@5kt2"), order);
        // every trial t of every design runs before any trial t+1: that is what lets comparisons pair them
        for (int i = 1; i < plan.size(); i++) {
            assertTrue(plan.get(i).trial() >= plan.get(i - 1).trial());
        }
    }

    @Test
    void duplicatesAreDroppedKeepingTheOrderGiven() {
        RunSpec s = spec(List.of("mutex", "message", "mutex"), List.of(2, 1, 2), 1, List.of(5e3, 1e3, 5e3), Map.of());
        assertEquals(List.of("mutex", "message"), s.designs());
        assertEquals(List.of(2, 1), s.cpus());
        assertEquals(List.of(5e3, 1e3), s.rates());
    }

    @Test
    void badValuesAreRejectedNamingTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> spec(List.of("mesage"), List.of(2), 1, Map.of()));
        assertTrue(e.getMessage().contains("valid designs: message, mutex, token"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> spec(List.of("message"), List.of(0), 1, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> spec(List.of("message"), List.of(2), 0, Map.of()));
        e = assertThrows(IllegalArgumentException.class, () -> spec(List.of("message"), List.of(2), 1, Map.of("colour", "red")));
        assertTrue(e.getMessage().contains("lines") && e.getMessage().contains("ring.capacity"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> spec(List.of("message"), List.of(2), 1, Map.of("idle", "nap")));
        e = assertThrows(IllegalArgumentException.class, () -> spec(List.of("message"), List.of(2), 1, Map.of("window", "0")));
        assertTrue(e.getMessage().contains("--set window=0") && e.getMessage().contains(">= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> spec(List.of("message"), List.of(2), 1, List.of(Double.NaN), Map.of()));
        assertTrue(e.getMessage().contains("--rate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Experiments.load().get("nope"));
        assertTrue(e.getMessage().contains("shared-update"), e.getMessage());
    }

    @Test
    void anExperimentThatCannotPaceIsRefusedARate() {
        Experiment closedOnly = new FakeExperiment("closed-only", List.of("a"), false, t -> {
            throw new AssertionError("not run");
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RunSpec(closedOnly, List.of("a"),
                List.of(1), Duration.ZERO, Duration.ofSeconds(1), 1, List.of(1000.0), 1, Path.of("x"),
                KernelConfig.Pin.AUTO, Map.of(), "test"));
        assertTrue(e.getMessage().contains("closed-only runs closed loop only"), e.getMessage());
    }

    @Test
    void durationsAreWrittenAsPeopleWriteThem() {
        assertEquals("-1s", Format.duration(Duration.ofSeconds(-1)));
        assertEquals("500ms", Format.duration(Duration.ofMillis(500)));
        assertEquals("1.5s", Format.duration(Duration.ofMillis(1500)));
        assertEquals("0s", Format.duration(Duration.ZERO));
        assertEquals("2m", Format.duration(Duration.ofMinutes(2)));
        assertEquals("90s", Format.duration(Duration.ofSeconds(90)));
        assertEquals("250us", Format.duration(Duration.ofNanos(250_000)));
        assertEquals("200k", Format.si(200_000));
        assertEquals("1.5M", Format.si(1_500_000));
        assertEquals("1.4", Format.number(1.4));
    }
}
