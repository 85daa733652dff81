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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.lwktlab.lab.experiment.Check;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.experiment.Experiments;
import org.lwktlab.lab.run.Observation;
import org.lwktlab.lab.run.RunResults;
import org.lwktlab.lab.run.RunSpec;
import org.lwktlab.lab.run.Runner;
import org.lwktlab.lab.run.TrialRecord;
import org.lwktlab.lwkt.HandlerError;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.KernelConfig;
import org.lwktlab.lwkt.KernelObserver;
import org.lwktlab.lwkt.ShutdownReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/lab trace EXPERIMENT}: runs one short trial with {@code --debug provenance} and prints
 * origin chains — a sample of what each thread handled (who sent it, from which line, through which
 * hops, while handling what), every handler error, and every message left unreplied at shutdown.
 */
@Command(name = "trace", mixinStandardHelpOptions = true, description = "Run one short trial with message provenance on and print origin chains: "
        + "sampled messages per thread, handler errors, unreplied messages.")
public final class TraceCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "Experiment name (see 'bin/lab list').")
    String experiment;

    @Option(names = "--design", description = "Design to trace (default: the experiment's first).")
    String design;

    @Option(names = "--cpus", description = "Simulated CPUs (default: the experiment's first CPU count).")
    Integer cpus;

    @Option(names = "--duration", converter = DurationConverter.class, defaultValue = "200ms",
            description = "How long to run (default: ${DEFAULT-VALUE}; simulated time with --deterministic).")
    Duration duration;

    @Option(names = "--samples", defaultValue = "2", description = "Messages sampled per thread and kind (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--thread", paramLabel = "NAME", description = "Sample only messages handled by this LWKT thread.")
    String thread;

    @Option(names = "--skip", defaultValue = "1000",
            description = "Messages each thread handles before sampling starts, to trace the steady state (default: ${DEFAULT-VALUE}).")
    int skip;

    @Option(names = "--deterministic", description = "Trace a deterministic simulation (replayable with --seed).")
    boolean deterministic;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "An experiment or kernel setting (repeatable), e.g. provenance.depth=16, provenance.frames=4.")
    List<String> sets = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Sampled chains, by "thread (requests|replies)", in first-seen order. */
    private final Map<String, List<String>> sampled = new ConcurrentHashMap<>();
    private final Map<String, int[]> seenPerThread = new ConcurrentHashMap<>();

    @Override
    public Integer call() throws Exception {
        if (samples < 0 || skip < 0) {
            throw new BadInputException("--samples and --skip must be >= 0");
        }
        Experiment e = Experiments.load().get(experiment);
        String d = design != null ? design : (deterministic && !e.deterministicDesigns().isEmpty()
                ? e.deterministicDesigns().getFirst() : e.defaultDesigns().getFirst());
        int n = cpus != null ? cpus : e.defaultCpus().getFirst();
        Map<String, String> settings = new LinkedHashMap<>();
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new BadInputException("--set " + s + ": expected KEY=VALUE");
            }
            settings.put(s.substring(0, eq).trim(), s.substring(eq + 1));
        }
        // the runner writes no files; results are printed, not saved
        RunSpec rs = new RunSpec(e, List.of(d), List.of(n), Duration.ZERO, duration, 1, List.of(), seed, Path.of("results", "trace"),
                KernelConfig.Pin.AUTO, settings, "bin/lab trace " + experiment, deterministic, null);
        AtomicReference<ShutdownReport> report = new AtomicReference<>();
        KernelObserver observer = new KernelObserver() {
            @Override
            public void booted(Kernel k) {
                k.provenanceTap((cpu, td, msg, origin) -> sample(td.name(), msg.isReply(), origin));
            }

            @Override
            public void shutDown(Kernel k, ShutdownReport r) {
                report.set(r);
            }
        };
        PrintWriter out = spec.commandLine().getOut();
        out.println("trace of " + e.name() + " design=" + d + " cpus=" + n + " for " + duration.toMillis() + " ms"
                + (deterministic ? " (deterministic, seed " + seed + ")" : "") + ", provenance on");
        out.flush();
        RunResults r = new Runner(rs, new PrintStream(OutputStream.nullOutputStream()),
                b -> b.debug(KernelConfig.Debug.PROVENANCE).observer(observer)).observe(Observation.inMemory()).run();
        print(out, r, report.get());
        out.flush();
        boolean ok = r.complete() && r.runs().stream().allMatch(TrialRecord::ok);
        return ok ? 0 : 1;
    }

    private void sample(String td, boolean reply, org.lwktlab.lwkt.Origin origin) {
        if (thread != null && !thread.equals(td)) {
            return;
        }
        int[] seen = seenPerThread.computeIfAbsent(td, k -> new int[1]);
        synchronized (seen) { // one thread lives on one CPU, but be safe against migration
            if (seen[0]++ < skip) {
                return;
            }
        }
        List<String> l = sampled.computeIfAbsent(td + (reply ? " (replies)" : " (requests)"), k -> new ArrayList<>());
        synchronized (l) {
            if (l.size() < samples) {
                l.add(origin == null ? "    (no origin: sent before the kernel could record it)\n" : origin.describe("    "));
            }
        }
    }

    private void print(PrintWriter out, RunResults r, ShutdownReport report) {
        out.println();
        if (sampled.isEmpty()) {
            out.println("No message sampled" + (thread != null ? " for thread '" + thread + "'" : "")
                    + (skip > 0 ? " after skipping " + skip + " per thread (lower --skip)" : "") + ".");
        }
        sampled.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(en -> {
            out.println("== handled by " + en.getKey() + ":");
            for (String chain : en.getValue()) {
                out.print(chain);
                out.println();
            }
        });
        if (report == null) {
            out.println("== the kernel did not shut down (the trial failed before it booted?)");
        } else {
            out.println("== handler errors: " + report.handlerErrors());
            for (HandlerError he : report.errors()) {
                out.println("  " + he.toString().replace("\n", "\n  "));
            }
            List<String> unreplied = report.sections().get(Kernel.UNREPLIED_SECTION);
            out.println("== unreplied at shutdown: " + report.outstanding());
            if (unreplied != null) {
                for (String line : unreplied) {
                    out.println("  " + line);
                }
            }
        }
        for (TrialRecord t : r.runs()) {
            for (Check c : t.checks()) {
                out.println((c.ok() ? "  ok   " : "  FAIL ") + c.name() + " (" + c.detail() + ")");
            }
        }
    }
}
