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
import org.lwktlab.lab.run.Observation;
import org.lwktlab.lab.run.ResultsWriter;
import org.lwktlab.lab.run.RunResults;
import org.lwktlab.lab.run.RunSpec;
import org.lwktlab.lab.run.Runner;
import org.lwktlab.lwkt.KernelConfig;
import org.lwktlab.metrics.export.MetricsServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bin/lab run EXPERIMENT ...}: every design × CPU count, trials interleaved, results written. */
@Command(name = "run", description = "Run an experiment for one or more designs and CPU counts.")
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

    @Option(names = "--rate", defaultValue = "0",
            description = "Open-loop offered load, operations/s in total; latency counts from each operation's intended start. Default: closed loop.")
    double rate;

    @Option(names = "--seed", defaultValue = "1",
            description = "Seed for the workload's randomness, and with --deterministic for the schedule (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--deterministic",
            description = "Simulate every CPU on one thread in an order drawn from the seed: the same seed replays the"
                    + " same interleaving. Times are simulated; unless given, --warmup 0 --duration 20ms --trials 1.")
    boolean deterministic;

    @Option(names = "--event-log", paramLabel = "FILE",
            description = "With --deterministic: write every simulation step to FILE (same seed, same bytes).")
    Path eventLog;

    @Option(names = "--debug", split = ",", paramLabel = "FACILITY",
            description = "Debug facilities: provenance (every message records its sender's stack and hops; handler"
                    + " errors and the leak report show the whole origin chain).")
    List<String> debug;

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

    /** Builds the validated spec from the options (also used by {@code demo}). */
    RunSpec toSpec(Experiments registry, String commandLine) {
        Experiment e = registry.get(experiment);
        Map<String, String> settings = new LinkedHashMap<>();
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new BadInputException("--set " + s + ": expected KEY=VALUE");
            }
            settings.put(s.substring(0, eq).trim(), s.substring(eq + 1));
        }
        if (debug != null) {
            String list = String.join(",", debug);
            KernelConfig.Debug.parseList(list); // a bad name fails here, naming the valid ones
            settings.merge("debug", list, (a, b) -> a + "," + b);
        }
        Path dir = out != null ? out : Path.of("results",
                e.name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Duration w = warmup;
        Duration d = duration;
        int t = trials;
        if (deterministic && spec != null) { // simulated time: short defaults, unless the user chose
            CommandLine.ParseResult pr = spec.commandLine().getParseResult();
            w = pr.hasMatchedOption("--warmup") ? warmup : Duration.ZERO;
            d = pr.hasMatchedOption("--duration") ? duration : DETERMINISTIC_DURATION;
            t = pr.hasMatchedOption("--trials") ? trials : 1;
        }
        return new RunSpec(e, designs == null ? defaultDesigns(e) : designs, cpus == null ? e.defaultCpus() : cpus,
                w, d, t, rate, seed, dir, pin ? KernelConfig.Pin.ON : KernelConfig.Pin.AUTO, settings,
                commandLine, deterministic, eventLog);
    }

    /** Simulated time a deterministic trial measures unless --duration says otherwise. */
    static final Duration DETERMINISTIC_DURATION = Duration.ofMillis(20);

    /** The experiment's default designs; with --deterministic, those of them that can run so. */
    private List<String> defaultDesigns(Experiment e) {
        if (!deterministic) {
            return e.defaultDesigns();
        }
        if (e.deterministicDesigns().isEmpty()) {
            throw new BadInputException("--deterministic: " + e.name() + " has no design that can run as a deterministic"
                    + " simulation (its load comes from threads outside the kernel); see docs/research.md");
        }
        List<String> ok = e.defaultDesigns().stream().filter(e.deterministicDesigns()::contains).toList();
        return ok.isEmpty() ? e.deterministicDesigns() : ok;
    }

    @Override
    public Integer call() throws Exception {
        String cmd = "bin/lab " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        RunSpec rs = toSpec(Experiments.load(), cmd);
        if (linger && serveMetrics == null) {
            throw new BadInputException("--linger keeps the metrics server up after the run; it needs --serve-metrics HOST:PORT");
        }
        Observation obs = Observation.defaults().withSampler(Observation.defaults().sampler().withInterval(sampleInterval));
        if (serveMetrics == null) {
            return execute(rs, System.out, obs);
        }
        try (MetricsServer server = MetricsServer.start(MetricsServer.parseAddress(serveMetrics))) {
            System.out.println("Serving metrics at " + server.uri() + (linger ? " (until Ctrl-C)" : " while the run lasts"));
            int status = execute(rs, System.out, obs.withServer(server));
            if (linger) {
                System.out.println("Still serving the last trial's metrics at " + server.uri() + " (--linger); Ctrl-C stops.");
                System.out.flush();
                new java.util.concurrent.CountDownLatch(1).await();
            }
            return status;
        }
    }

    /** Runs, writes the results, prints the table. */
    static int execute(RunSpec rs, PrintStream out) throws Exception {
        return execute(rs, out, Observation.defaults());
    }

    /** Runs with the given sampling/serving, writes the results, prints the table. */
    static int execute(RunSpec rs, PrintStream out, Observation obs) throws Exception {
        out.println("Results will be in " + rs.out().toAbsolutePath().normalize());
        Runner runner = new Runner(rs, out).observe(obs);
        RunResults r = runner.run();
        ResultsWriter.write(r, rs.out());
        out.println();
        ResultsWriter.printTable(r, out);
        out.println();
        out.println("Wrote " + rs.out().resolve("results.json") + (r.complete() ? "" : "  (INCOMPLETE)"));
        boolean ok = r.complete() && r.runs().stream().allMatch(t -> t.ok());
        return ok ? 0 : 1;
    }
}
