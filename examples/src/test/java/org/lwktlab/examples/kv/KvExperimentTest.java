package org.lwktlab.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lwktlab.lab.experiment.Experiments;
import org.lwktlab.lab.run.RunResults;
import org.lwktlab.lab.run.RunSpec;
import org.lwktlab.lab.run.Runner;
import org.lwktlab.lab.run.TrialRecord;
import org.lwktlab.lwkt.KernelConfig;

/** The tutorial's experiment is found by bin/lab's registry and runs both designs with its checks passing. */
class KvExperimentTest {
    @Test
    void bothDesignsRunThroughTheLabRunner(@TempDir Path dir) {
        RunSpec spec = new RunSpec(Experiments.load().get("kv-store"), List.of("message", "mutex"), List.of(2),
                Duration.ofMillis(100), Duration.ofMillis(400), 1, 0, 3, dir, KernelConfig.Pin.AUTO,
                Map.of("keys", "512", "reads", "50"), "test");
        RunResults r = new Runner(spec, System.out).run();
        assertTrue(r.complete());
        assertEquals(2, r.runs().size());
        for (TrialRecord t : r.runs()) {
            assertTrue(t.ok(), t.design() + ": " + t.checks());
            assertTrue(t.ops() > 0);
        }
        assertTrue(r.runs().stream().anyMatch(t -> t.derived().containsKey("lock_contended_ratio")
                || t.counters().containsKey("lwkt_lock_acquisitions_total")), "the mutex design's lock was not probed");
    }
}
