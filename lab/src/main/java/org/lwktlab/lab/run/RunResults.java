package org.lwktlab.lab.run;

import java.util.List;
import java.util.Map;

/**
 * A whole run, as written to {@code results.json} (schema in docs/results-schema.md).
 *
 * @param schemaVersion    version of this layout
 * @param experiment       experiment name
 * @param question         what it asks
 * @param complete         false if the run was cut short (Ctrl-C, a failed trial)
 * @param incompleteReason why it was cut short, null when complete
 * @param started          ISO-8601 start time
 * @param finished         ISO-8601 end time
 * @param command          the command line that reproduces the run
 * @param machine          the machine
 * @param config           designs, cpus, timings, load model, settings
 * @param runs             every trial, in run order
 * @param summary          per design, CPU count and offered load: medians over trials
 * @param comparisons      every pair of designs, per CPU count and offered load: ratios with 95% intervals
 */
public record RunResults(int schemaVersion, String experiment, String question, boolean complete,
                         String incompleteReason, String started, String finished, String command, MachineInfo machine,
                         Config config, List<TrialRecord> runs, List<Summary> summary, List<Comparison> comparisons) {
    /** Current {@link #schemaVersion}. */
    public static final int SCHEMA_VERSION = 2;

    public RunResults {
        runs = runs == null ? List.of() : List.copyOf(runs);
        summary = summary == null ? List.of() : List.copyOf(summary);
        comparisons = comparisons == null ? List.of() : List.copyOf(comparisons);
    }

    /** These results with {@code c} as their comparisons. */
    public RunResults withComparisons(List<Comparison> c) {
        return new RunResults(schemaVersion, experiment, question, complete, incompleteReason, started, finished, command,
                machine, config, runs, summary, c);
    }

    /**
     * The run's configuration.
     *
     * @param load  {@code closed} (each generator waits for its operation before the next) or {@code open}
     *              (operations offered on a schedule at {@code rates}; latency from the intended start)
     * @param rates open loop: the offered loads, operations/s in total; empty for closed loop
     */
    public record Config(List<String> designs, List<Integer> cpus, double warmupS, double durationS, int trials,
                         long seed, String load, List<Double> rates, String pin, Map<String, String> params,
                         Map<String, String> kernel) {
        public Config {
            rates = rates == null ? List.of() : List.copyOf(rates);
        }
    }

    /**
     * Medians over the trials of one design at one CPU count and offered load. Trials that failed a
     * check are left out of the medians (their count is in {@code trials}, and {@code ok} is false).
     *
     * @param rate  offered load (open loop), or null for closed loop
     * @param perOp medians of every counter per operation
     */
    public record Summary(String design, int cpus, Double rate, int trials, double opsPerSec, double latencyP50Ns,
                          double latencyP99Ns, double latencyP999Ns, Map<String, Double> derived,
                          Map<String, Double> perOp, boolean ok) {}
}
