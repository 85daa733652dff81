package org.lwktlab.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.lwktlab.lab.experiment.Experiments;
import org.lwktlab.lab.run.Observation;
import org.lwktlab.lab.run.RunListener;
import org.lwktlab.lab.run.RunResults;
import org.lwktlab.lab.run.RunSpec;
import org.lwktlab.lab.run.Runner;
import org.lwktlab.lab.stats.Comparisons;
import org.lwktlab.lwkt.KernelConfig;

/**
 * Short real runs shared by the tests (computed once per test JVM): shared-update closed loop over three
 * designs, and an open-loop load sweep over two.
 */
public final class TestRuns {
    private static RunResults closed;
    private static RunResults open;

    private TestRuns() {}

    /** A short run, comparisons included, with counters in memory. */
    public static RunResults run(String experiment, List<String> designs, List<Integer> cpus, int trials,
                                 List<Double> rates, Duration window, Map<String, String> set) {
        RunSpec spec = new RunSpec(Experiments.load().get(experiment), designs, cpus, Duration.ofMillis(100), window,
                trials, rates, 7, Path.of("target", "unused"), KernelConfig.Pin.AUTO, set, "bin/lab run " + experiment
                + " (test)");
        RunResults r = new Runner(spec, RunListener.SILENT).observe(Observation.inMemory()).run();
        return r.withComparisons(Comparisons.within(r));
    }

    /** shared-update, message/mutex/token, 2 CPUs, 2 trials, closed loop. */
    public static synchronized RunResults closedLoop() {
        if (closed == null) {
            closed = run("shared-update", List.of("message", "mutex", "token"), List.of(2), 2, List.of(),
                    Duration.ofMillis(300), Map.of());
        }
        return closed;
    }

    /** shared-update, message/mutex, 2 CPUs, 2 trials, open loop at 2k and 8k operations/s. */
    public static synchronized RunResults openLoop() {
        if (open == null) {
            open = run("shared-update", List.of("message", "mutex"), List.of(2), 2, List.of(2000.0, 8000.0),
                    Duration.ofMillis(300), Map.of());
        }
        return open;
    }
}
