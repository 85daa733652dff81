package org.lwktlab.lab.run;

import java.util.List;
import java.util.Map;

/**
 * A whole run, as written to {@code results.json} (schema in docs/results-schema.md).
 *
 * @param schemaVersion version of this layout
 * @param experiment    experiment name
 * @param question      what it asks
 * @param complete      false if the run was cut short (Ctrl-C, a failure)
 * @param started       ISO-8601 start time
 * @param finished      ISO-8601 end time
 * @param command       the command line that reproduces the run
 * @param machine       the machine
 * @param config        designs, cpus, timings, load model, settings
 * @param runs          every trial, in run order
 * @param summary       per design and CPU count: medians over trials
 */
public record RunResults(int schemaVersion, String experiment, String question, boolean complete, String started,
                         String finished, String command, MachineInfo machine, Config config, List<TrialRecord> runs,
                         List<Summary> summary) {
    /** Current {@link #schemaVersion}. */
    public static final int SCHEMA_VERSION = 1;

    /**
     * The run's configuration.
     *
     * @param load "closed" or "open"
     */
    public record Config(List<String> designs, List<Integer> cpus, double warmupS, double durationS, int trials,
                        long seed, String load, Double rate, String pin, Map<String, String> params,
                        Map<String, String> kernel) {}

    /**
     * Medians over the trials of one design at one CPU count.
     */
    public record Summary(String design, int cpus, int trials, double opsPerSec, double latencyP50Ns,
                          double latencyP99Ns, Map<String, Double> derived, boolean ok) {}
}
