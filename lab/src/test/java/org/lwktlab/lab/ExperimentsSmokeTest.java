package org.lwktlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.experiment.Experiments;
import org.lwktlab.lab.run.RunResults;
import org.lwktlab.lab.run.TrialRecord;

/**
 * Every registered experiment runs every design briefly and passes its correctness checks — closed loop,
 * and open loop (at a low rate, where nothing saturates) for those that support it.
 */
class ExperimentsSmokeTest {
    static List<Experiment> experiments() {
        return Experiments.load().all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("experiments")
    void everyDesignRunsAndPassesItsChecks(Experiment e) {
        check(e, TestRuns.run(e.name(), e.designs(), List.of(Math.max(2, e.minCpus())), 1, List.of(),
                Duration.ofMillis(300), Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("experiments")
    void openLoopRunsToo(Experiment e) {
        if (!e.supportsOpenLoop()) {
            return;
        }
        RunResults r = TestRuns.run(e.name(), e.designs(), List.of(Math.max(2, e.minCpus())), 1, List.of(2000.0),
                Duration.ofMillis(300), Map.of());
        check(e, r);
        for (TrialRecord t : r.runs()) {
            assertEquals(2000.0, t.offeredRate());
        }
    }

    private static void check(Experiment e, RunResults r) {
        assertTrue(r.complete(), e.name() + " was cut short: " + r.incompleteReason());
        assertEquals(e.designs().size(), r.runs().size());
        for (TrialRecord t : r.runs()) {
            assertTrue(t.ok(), t.design() + ": " + t.checks());
            assertTrue(t.ops() > 0, t.design() + " did no work");
            assertTrue(t.latencyNs().count() > 0, t.design() + " recorded no latency");
        }
    }
}
