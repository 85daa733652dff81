package org.lwktlab.lab.experiment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.lwktlab.lab.FakeExperiment;
import org.lwktlab.lab.run.Observation;
import org.lwktlab.lab.run.RunListener;
import org.lwktlab.lab.run.RunResults;
import org.lwktlab.lab.run.RunSpec;
import org.lwktlab.lab.run.Runner;
import org.lwktlab.lab.run.TrialRecord;
import org.lwktlab.lwkt.KernelConfig;

/**
 * Open loop measures from each operation's intended start: a stall of the generator shows up in the
 * latency of every operation scheduled during it, not just in the one that stalled (no coordinated
 * omission). A closed-loop measurement of the same stall sees one slow operation.
 */
class OpenLoopTest {
    /** One generator thread; the first operation 150 ms into the run stalls for 100 ms. */
    static Workload stalling(Trial t) {
        LoadRecorder rec = t.recorder("g");
        Pacer pacer = t.openLoop() ? t.pacer(0, 1) : null;
        return new Workload() {
            volatile boolean stop;
            final Thread th = new Thread(() -> {
                long t0 = System.nanoTime();
                boolean stalled = false;
                if (pacer != null) {
                    pacer.start(t0);
                }
                while (!stop) {
                    long start = pacer != null ? pacer.awaitNext(() -> stop) : System.nanoTime();
                    if (start == Pacer.STOPPED) {
                        return;
                    }
                    if (!stalled && start - t0 > 150_000_000L) {
                        stalled = true;
                        sleep(100);
                    }
                    rec.record(System.nanoTime() - start);
                }
            });

            public void start() {
                th.start();
            }

            public void stop() throws InterruptedException {
                stop = true;
                th.join(10_000);
            }

            public List<Check> shutdown() {
                return List.of();
            }
        };
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Histogram run(double rate) {
        RunSpec spec = new RunSpec(new FakeExperiment("stalling", List.of("thread"), true, OpenLoopTest::stalling), List.of("thread"), List.of(1), Duration.ofMillis(10), Duration.ofMillis(400), 1,
                rate == 0 ? List.of() : List.of(rate), 1, Path.of("target", "unused"), KernelConfig.Pin.OFF, Map.of(), "t");
        RunResults r = new Runner(spec, RunListener.SILENT).observe(Observation.inMemory()).run();
        assertTrue(r.complete(), r.incompleteReason());
        TrialRecord t = r.runs().getFirst();
        return t.histogram();
    }

    @Test
    void aStallDelaysEveryOperationScheduledDuringIt() {
        // 1000 operations/s: about 100 are scheduled during the 100 ms stall, each measured from its intended start
        Histogram open = run(1000);
        long late = open.getCountBetweenValues(10_000_000, Long.MAX_VALUE / 4);
        assertTrue(late >= 50, "operations delayed ≥ 10 ms by the stall: " + late + " of " + open.getTotalCount());
        // closed loop measures each operation from its own start: the stall is one slow operation
        Histogram closed = run(0);
        long closedLate = closed.getCountBetweenValues(10_000_000, Long.MAX_VALUE / 4);
        assertTrue(closedLate >= 1 && closedLate < late / 5, "closed loop sees the stall about once: " + closedLate);
    }
}
