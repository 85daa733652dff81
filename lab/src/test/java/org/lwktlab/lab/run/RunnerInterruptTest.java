package org.lwktlab.lab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.experiment.Experiments;
import org.lwktlab.lab.FakeExperiment;
import org.lwktlab.lwkt.KernelConfig;

/** An interrupt stops the run within the current trial, keeps the finished trials and says what happened. */
class RunnerInterruptTest {
    @Test
    void interruptDuringATrialKeepsTheFinishedOnesAndMarksTheRunIncomplete() throws Exception {
        RunSpec spec = new RunSpec(Experiments.load().get("shared-update"), List.of("message", "mutex"), List.of(2),
                Duration.ofMillis(50), Duration.ofSeconds(20), 2, List.of(), 1, Path.of("target", "unused"),
                KernelConfig.Pin.AUTO, Map.of(), "test");
        CountDownLatch secondStarted = new CountDownLatch(1);
        Runner[] runner = new Runner[1];
        runner[0] = new Runner(spec, new RunListener() {
            @Override
            public void trialStarted(int order, RunSpec.Slot slot) {
                if (order == 2) {
                    secondStarted.countDown();
                }
            }
        }).observe(Observation.inMemory());
        // trial 1 would take 20 s: interrupt it, then check the run ends quickly
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            runner[0].interrupt();
        });
        t.start();
        long t0 = System.nanoTime();
        RunResults r = runner[0].run();
        long took = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        assertTrue(took < 15, "the interrupt ended the 20 s trial early (took " + took + " s)");
        assertFalse(r.complete());
        assertEquals(0, r.runs().size(), "the interrupted trial's partial numbers are discarded");
        assertTrue(r.incompleteReason().contains("interrupted during trial 1 of 4"), r.incompleteReason());
        assertEquals(1, secondStarted.getCount(), "no trial starts after the interrupt");
    }

    @Test
    void aTrialThatThrowsIsRecordedAndStopsTheRun() {
        Experiment broken = new FakeExperiment("broken", List.of("a"), false, t -> {
            throw new IllegalStateException("no-such-lock");
        });
        RunSpec spec = new RunSpec(broken, List.of("a"), List.of(2), Duration.ZERO, Duration.ofMillis(100), 2, List.of(),
                1, Path.of("target", "unused"), KernelConfig.Pin.AUTO, Map.of(), "test");
        RunResults r = new Runner(spec, RunListener.SILENT).observe(Observation.inMemory()).run();
        assertFalse(r.complete());
        assertEquals(1, r.runs().size());
        assertFalse(r.runs().getFirst().ok());
        assertTrue(r.incompleteReason().contains("failed") && r.incompleteReason().contains("no-such-lock"),
                r.incompleteReason());
    }
}
