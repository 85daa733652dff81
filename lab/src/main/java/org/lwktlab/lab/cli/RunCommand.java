package org.lwktlab.lab.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.experiment.Experiments;
import org.lwktlab.lab.report.ReportWriter;
import org.lwktlab.lab.run.PlainLines;
import org.lwktlab.lab.run.Observation;
import org.lwktlab.lab.run.ResultsWriter;
import org.lwktlab.lab.run.RunListener;
import org.lwktlab.lab.run.RunResults;
import org.lwktlab.lab.run.RunSpec;
import org.lwktlab.lab.run.Runner;
import org.lwktlab.lab.stats.Comparisons;
import org.lwktlab.lab.stats.Metric;
import org.lwktlab.lwkt.KernelConfig;
import org.lwktlab.metrics.export.MetricsServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bin/lab run EXPERIMENT ...}: every design × CPU count, trials interleaved, results written. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run an experiment for one or more designs and CPU counts.")
public final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "Experiment name (see 'bin/lab list').")
    String experiment;

    @Option(names = "--design", split = ",", paramLabel = "D1,D2", description = "Designs to run (default: the experiment's).")
    List<String> designs;

    @Option(names = "--cpus", split = ",", paramLabel = "N1,N2", description = "Simulated CPU counts (default: the experiment's).")
    List<Integer> cpus;

    @Option(names = "--duration", converter = DurationConverter.class, defaultValue = "5s",
            description = "Measured time per trial (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", converter = DurationConverter.class, defaultValue = "1s",
            description = "Warm-up per trial, not measured (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--trials", defaultValue = "3", description = "Trials per design and CPU count (default: ${DEFAULT-VALUE}).")
    int trials;

    @Option(names = "--rate", split = ",", paramLabel = "R1,R2", converter = RateConverter.class,
            description = "Open loop: offered load in operations/s in total (e.g. 200k; several give a load sweep). "
                    + "Latency counts from each operation's intended start. Default: closed loop.")
    List<Double> rates;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for the workload's randomness (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Results folder (default: results/EXPERIMENT-TIME).")
    Path out;

    @Option(names = "--pin", description = "Require pinning each CPU thread to a core (fails when there are fewer cores than CPUs).")
    boolean pin;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "An experiment or kernel setting (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--serve-metrics", paramLabel = "HOST:PORT",
            description = "Serve the live probes at http://HOST:PORT/metrics (Prometheus) while the run lasts, e.g. 127.0.0.1:9400.")
    String serveMetrics;

    @Option(names = "--linger", description = "With --serve-metrics: keep serving the last trial's values after the run, until Ctrl-C.")
    boolean linger;

    @Option(names = "--sample-interval", converter = DurationConverter.class, defaultValue = "10ms",
            description = "How often the probe sampler reads queue depths and high-water marks, 1ms..10s (default: ${DEFAULT-VALUE}).")
    Duration sampleInterval;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Builds the validated spec from the options. */
    RunSpec toSpec(Experiments registry, String commandLine) {
        Experiment e = registry.get(experiment);
        Map<String, String> settings = new LinkedHashMap<>();
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0 || s.substring(0, eq).isBlank()) {
                throw new BadInputException("--set " + s + ": expected KEY=VALUE; valid keys: see 'bin/lab list' ("
                        + e.name() + ": " + String.join(", ", e.params().stream().map(p -> p.name()).toList())
                        + ", or a kernel setting: " + String.join(", ", KernelConfig.KEYS) + ")");
            }
            settings.put(s.substring(0, eq).trim(), s.substring(eq + 1));
        }
        Path dir = out != null ? out : Path.of("results",
                e.name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        return new RunSpec(e, designs == null ? e.defaultDesigns() : designs, cpus == null ? e.defaultCpus() : cpus,
                warmup, duration, trials, rates == null ? List.of() : rates, seed, dir,
                pin ? KernelConfig.Pin.ON : KernelConfig.Pin.AUTO, settings, commandLine);
    }

    @Override
    public Integer call() throws Exception {
        String cmd = "bin/lab run " + String.join(" ", spec.commandLine().getParseResult().expandedArgs().stream()
                .map(RunCommand::quote).toList());
        RunSpec rs = toSpec(Experiments.load(), cmd);
        if (linger && serveMetrics == null) {
            throw new BadInputException("--linger keeps the metrics server up after the run; it needs --serve-metrics HOST:PORT");
        }
        Observation obs = Observation.defaults().withSampler(Observation.defaults().sampler().withInterval(sampleInterval));
        if (serveMetrics == null) {
            return execute(rs, System.out, progress(), obs);
        }
        try (MetricsServer server = MetricsServer.start(MetricsServer.parseAddress(serveMetrics))) {
            System.out.println("Serving metrics at " + server.uri() + (linger ? " (until Ctrl-C)" : " while the run lasts"));
            int status = execute(rs, System.out, progress(), obs.withServer(server));
            if (linger) {
                System.out.println("Still serving the last trial's metrics at " + server.uri() + " (--linger); Ctrl-C stops.");
                System.out.flush();
                new java.util.concurrent.CountDownLatch(1).await();
            }
            return status;
        }
    }

    private static RunListener progress() {
        return BarProgress.onTerminal() ? new BarProgress(System.out) : new PlainLines(System.out);
    }

    /** {@code arg} quoted for a POSIX shell when it needs it. */
    static String quote(String arg) {
        return arg.matches("[A-Za-z0-9_./:=,@%+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }

    /**
     * Runs, compares the designs, writes results.json, the CSVs and report.html, and prints the tables.
     * Ctrl-C stops cleanly and still writes everything, marked incomplete.
     *
     * @return 0 when complete and every check held, 1 otherwise
     */
    static int execute(RunSpec rs, PrintStream out, RunListener progress) throws Exception {
        return execute(rs, out, progress, Observation.defaults());
    }

    /** {@link #execute(RunSpec, PrintStream, RunListener)} with the given sampling, counters file and server. */
    static int execute(RunSpec rs, PrintStream out, RunListener progress, Observation obs) throws Exception {
        Path dir = rs.out().toAbsolutePath().normalize();
        out.println("Report: " + dir.resolve(ReportWriter.FILE) + "   (results.json, CSVs and plots/*.png beside it)");
        Runner runner = new Runner(rs, progress).observe(obs);
        try (CtrlC ignored = CtrlC.arm(runner, out)) {
            RunResults r = runner.run();
            r = r.withComparisons(Comparisons.within(r));
            ResultsWriter.write(r, dir);
            out.println();
            ResultsWriter.printTable(r, out);
            if (!r.comparisons().isEmpty()) {
                out.println();
                ComparisonTable.print(Comparisons.select(r.comparisons(), List.of(Metric.THROUGHPUT, Metric.P50, Metric.P99)),
                        out);
            }
            out.println();
            boolean reported = writeReport(r, dir, out);
            if (!r.complete()) {
                out.println("INCOMPLETE: " + r.incompleteReason());
            }
            out.flush();
            boolean ok = r.complete() && reported && r.runs().stream().allMatch(t -> t.ok());
            return ok ? 0 : 1;
        }
    }

    /** Writes report.html; a failure is reported (the results are already safe) and makes the run exit 1. */
    static boolean writeReport(RunResults r, Path dir, PrintStream out) {
        try {
            Path report = ReportWriter.write(r, dir);
            out.println("Report: " + report + (r.complete() ? "" : "  (INCOMPLETE)"));
            return true;
        } catch (Exception | LinkageError e) {
            out.println("lab: results.json is written, but report.html could not be: " + e);
            return false;
        }
    }
}
