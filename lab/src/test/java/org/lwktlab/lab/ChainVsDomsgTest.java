package org.lwktlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lwktlab.lab.experiment.Experiments;
import org.lwktlab.lab.run.RunResults;
import org.lwktlab.lab.run.RunSpec;
import org.lwktlab.lab.run.Runner;
import org.lwktlab.lab.run.TrialRecord;
import org.lwktlab.lwkt.KernelConfig;

class ChainVsDomsgTest {

    @Test
    void chainsPayOneRoundTripAndOneKernelEntryPerOperationAndStopAtTheFirstError() {
        // 5 steps, every 3rd operation fails at step 2: a careful domsg client pays 5 or 3 round trips
        RunSpec spec = new RunSpec(Experiments.load().get("chain-vs-domsg"), List.of("domsg", "chain", "kernel-steps",
                "kernel-chain"), List.of(2), Duration.ofMillis(100), Duration.ofMillis(300), 1, 0, 3, Path.of("unused"),
                KernelConfig.Pin.AUTO, Map.of("steps", "5", "fail-every", "3"), "test");
        RunResults r = new Runner(spec, new PrintStream(OutputStream.nullOutputStream())).run();
        assertTrue(r.complete());
        for (TrialRecord t : r.runs()) {
            assertTrue(t.ok(), t.design() + ": " + t.checks());
            assertTrue(t.ops() > 10, t.design() + " did " + t.ops() + " operations");
            double trips = t.derived().get("round_trips_per_op");
            double steps = t.derived().get("steps_per_op");
            assertEquals(5 - 2.0 / 3, steps, 0.25, t.design() + ": steps per op with a third failing at step 2");
            if (t.design().endsWith("chain")) {
                assertEquals(1.0, trips, 1e-9, t.design());
            } else {
                assertEquals(steps, trips, 1e-9, t.design() + ": one round trip per step run");
            }
        }
        double domsgEntries = perOp(r, "domsg", "lwkt_submission_enqueued_total");
        double chainEntries = perOp(r, "chain", "lwkt_submission_enqueued_total");
        assertEquals(1.0, chainEntries, 0.01, "a chain enters the kernel once");
        assertTrue(domsgEntries > 4, "domsg enters the kernel once per step: " + domsgEntries);
    }

    private static double perOp(RunResults r, String design, String counter) {
        return r.runs().stream().filter(t -> t.design().equals(design)).findFirst().orElseThrow().perOp()
                .getOrDefault(counter, 0.0);
    }
}
