package org.lwktlab.lab.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lwktlab.lab.experiment.Check;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.experiment.Experiments;
import org.lwktlab.lab.run.Observation;
import org.lwktlab.lab.run.RunResults;
import org.lwktlab.lab.run.RunSpec;
import org.lwktlab.lab.run.Runner;
import org.lwktlab.lab.run.TrialRecord;
import org.lwktlab.lwkt.KernelConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/lab sweep EXPERIMENT}: runs a design as a deterministic simulation under many seeds and
 * stops at the first seed whose correctness checks fail, printing the command that replays it (with an
 * event log). Each seed is one short trial: {@code bin/lab run --deterministic --seed S --trials 1}.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, description = "Run a design deterministically over many seeds; report the first seed whose checks fail.")
public final class SweepCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "Experiment name (see 'bin/lab list').")
    String experiment;

    @Option(names = "--design", split = ",", paramLabel = "D1,D2",
            description = "Designs to sweep (default: every design that can run deterministically).")
    List<String> designs;

    @Option(names = "--cpus", defaultValue = "3", description = "Simulated CPUs (default: ${DEFAULT-VALUE}).")
    int cpus;

    @Option(names = "--seeds", defaultValue = "1000", description = "How many seeds (default: ${DEFAULT-VALUE}).")
    long seeds;

    @Option(names = "--from", defaultValue = "1", description = "First seed (default: ${DEFAULT-VALUE}).")
    long from;

    @Option(names = "--duration", converter = DurationConverter.class, defaultValue = "2ms",
            description = "Simulated time per seed (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "An experiment or kernel setting (repeatable).")
    List<String> sets = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (seeds < 1) {
            throw new BadInputException("--seeds must be >= 1, got " + seeds);
        }
        Experiment e = Experiments.load().get(experiment);
        if (e.deterministicDesigns().isEmpty()) {
            throw new BadInputException("sweep: " + e.name() + " has no design that can run as a deterministic"
                    + " simulation; see docs/research.md");
        }
        List<String> ds = designs != null ? designs : e.deterministicDesigns();
        Map<String, String> settings = new LinkedHashMap<>();
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new BadInputException("--set " + s + ": expected KEY=VALUE");
            }
            settings.put(s.substring(0, eq).trim(), s.substring(eq + 1));
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        out.println("sweeping " + e.name() + " design " + String.join(",", ds) + " on " + cpus + " cpus, seeds " + from
                + ".." + (from + seeds - 1) + ", " + duration.toMillis() + " ms simulated each");
        out.flush();
        long t0 = System.nanoTime();
        for (String d : ds) {
            for (long i = 0; i < seeds; i++) {
                long seed = from + i;
                RunSpec rs = new RunSpec(e, List.of(d), List.of(cpus), Duration.ZERO, duration, 1, List.of(), seed,
                        Path.of("results", "sweep"), KernelConfig.Pin.AUTO, settings, "bin/lab sweep", true, null);
                RunResults r = new Runner(rs, quiet).observe(Observation.inMemory()).run(); // no counter files per seed
                List<String> failed = failures(r);
                if (!failed.isEmpty()) {
                    out.println("design " + d + ": seed " + seed + " FAILED (after " + i + " passing seeds):");
                    failed.forEach(f -> out.println("  " + f));
                    out.println("replay it step by step with:");
                    out.println("  bin/lab run " + e.name() + " --design " + d + " --cpus " + cpus
                            + " --deterministic --seed " + seed + " --trials 1 --warmup 0 --duration "
                            + duration.toNanos() / 1e6 + "ms" + setArgs() + " --event-log seed-" + seed + ".log");
                    out.flush();
                    return 1;
                }
                if ((i + 1) % 100 == 0) {
                    out.println("  " + d + ": " + (i + 1) + " seeds passed");
                    out.flush();
                }
            }
            out.println("design " + d + ": all " + seeds + " seeds passed");
        }
        out.println("done in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        out.flush();
        return 0;
    }

    private static List<String> failures(RunResults r) {
        List<String> f = new ArrayList<>();
        for (TrialRecord t : r.runs()) {
            for (Check c : t.checks()) {
                if (!c.ok()) {
                    f.add(c.name() + ": " + c.detail());
                }
            }
        }
        if (f.isEmpty() && !r.complete()) {
            f.add("the trial did not run to the end");
        }
        return f;
    }

    private String setArgs() {
        StringBuilder sb = new StringBuilder();
        for (String s : sets) {
            sb.append(" --set ").append(s);
        }
        return sb.toString();
    }
}
