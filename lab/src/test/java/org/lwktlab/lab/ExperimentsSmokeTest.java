package org.lwktlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.experiment.Experiments;
import org.lwktlab.lab.run.ResultsWriter;
import org.lwktlab.lab.run.RunResults;
import org.lwktlab.lab.run.RunSpec;
import org.lwktlab.lab.run.Runner;
import org.lwktlab.lab.run.TrialRecord;
import org.lwktlab.lwkt.KernelConfig;

/** Every registered experiment runs every design briefly, passes its correctness checks, and round-trips. */
class ExperimentsSmokeTest {
    static List<Experiment> experiments() {
        return Experiments.load().all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("experiments")
    void everyDesignRunsAndPassesItsChecks(Experiment e, @TempDir Path dir) throws Exception {
        int cpus = Math.max(2, e.minCpus());
        RunSpec spec = new RunSpec(e, e.designs(), List.of(cpus), Duration.ofMillis(100), Duration.ofMillis(300), 1, 0, 7,
                dir, KernelConfig.Pin.AUTO, Map.of(), "test");
        RunResults r = new Runner(spec, System.out).run();
        assertTrue(r.complete(), "run was cut short");
        assertEquals(e.designs().size(), r.runs().size());
        for (TrialRecord t : r.runs()) {
            assertTrue(t.ok(), t.design() + ": " + t.checks());
            assertTrue(t.ops() > 0, t.design() + " did no work");
            assertTrue(t.latencyNs().count() > 0, t.design() + " recorded no latency");
        }
        ResultsWriter.write(r, dir);
        RunResults back = ResultsWriter.read(dir);
        assertEquals(r.runs().size(), back.runs().size());
        assertEquals(r.runs().getFirst().opsPerSec(), back.runs().getFirst().opsPerSec());
        assertTrue(Files.readString(dir.resolve("runs.csv")).lines().count() == r.runs().size() + 1);
    }
}
