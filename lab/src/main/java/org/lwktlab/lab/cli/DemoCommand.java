package org.lwktlab.lab.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.experiment.Experiments;
import org.lwktlab.lab.report.DemoIndex;
import org.lwktlab.lab.run.Format;
import org.lwktlab.lab.run.PlainLines;
import org.lwktlab.lab.run.ResultsWriter;
import org.lwktlab.lab.run.RunSpec;
import org.lwktlab.lwkt.KernelConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/lab demo}: the README's main job — a short tour of the experiments that exist, 1-2
 * minutes on two cores. It starts by saying where the report is: an {@code index.html} linking each
 * experiment's {@code report.html}, rewritten after every experiment so a cut-short demo still has one.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "A short tour (1-2 minutes on two cores): runs each experiment briefly and writes a report for each.")
public final class DemoCommand implements Callable<Integer> {
    /**
     * The tour: experiment, designs, extra settings, and a cap on its measured time per trial (null: the
     * demo's {@code --duration}). Experiments not on the class path are skipped.
     */
    static final List<Stop> TOUR = List.of(
            new Stop("ipi-pingpong", List.of("message", "ipi"), Map.of(), null),
            new Stop("shared-update", List.of("message", "mutex", "token"), Map.of(), null),
            new Stop("vfs-mix", List.of("message", "mutex"), Map.of("files", "16"), null),
            new Stop("slab-remote-free", List.of("message", "message-cas", "mutex", "jvm"), Map.of(), null),
            new Stop("netisr-rr", List.of("message", "mutex"), Map.of(), Duration.ofSeconds(1)));

    /** Trials per design in the tour: the fewest that give a confidence interval. */
    static final int TRIALS = 2;
    /** Measured time the whole tour aims for; each trial gets its share, between 1 s and 2 s. */
    static final Duration BUDGET = Duration.ofSeconds(40);
    static final Duration WARMUP = Duration.ofMillis(500);

    record Stop(String experiment, List<String> designs, Map<String, String> settings, Duration maxDuration) {}

    @Option(names = "--out", description = "Results folder (default: results/demo-TIME).")
    Path out;

    @Option(names = "--duration", converter = DurationConverter.class,
            description = "Measured time per trial (default: the tour's share of about 40 s, 1-2 s).")
    Duration duration;

    @Override
    public Integer call() throws Exception {
        Path dir = (out != null ? out : Path.of("results",
                "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))).toAbsolutePath().normalize();
        PrintStream o = System.out;
        Experiments all = Experiments.load();
        List<Experiment> tour = new ArrayList<>();
        List<Stop> stops = new ArrayList<>();
        for (Stop s : TOUR) {
            try {
                tour.add(all.get(s.experiment()));
                stops.add(s);
            } catch (IllegalArgumentException notOnClassPath) {
                o.println("(skipping " + s.experiment() + ": not on the class path)");
            }
        }
        int trials = stops.stream().mapToInt(s -> s.designs().size() * TRIALS).sum();
        Duration perTrial = duration != null ? duration : perTrial(trials);
        List<DemoIndex.Entry> entries = new ArrayList<>();
        for (Experiment e : tour) {
            entries.add(new DemoIndex.Entry(e.name(), e.question(), e.name(), null));
        }
        Path index = DemoIndex.write(dir, entries);
        o.println("LWKT Lab demo. The report: " + index);
        o.println("(open it in a browser: it links one report.html per experiment, each in its own folder beside it)");
        o.println(trials + " trials of " + Format.duration(WARMUP) + " warm-up + " + Format.duration(perTrial)
                + " measured, designs interleaved trial by trial.");
        o.println();
        int status = 0;
        for (int i = 0; i < tour.size(); i++) {
            Experiment e = tour.get(i);
            Stop s = stops.get(i);
            o.println("== " + e.name() + ": " + e.question());
            Path sub = dir.resolve(e.name());
            Duration d = s.maxDuration() != null && s.maxDuration().compareTo(perTrial) < 0 ? s.maxDuration() : perTrial;
            RunSpec rs = new RunSpec(e, s.designs(), List.of(2), WARMUP, d, TRIALS, List.of(), 1, sub,
                    KernelConfig.Pin.AUTO, s.settings(), "bin/lab run " + e.name() + " --design "
                    + String.join(",", s.designs()) + " --cpus 2 --warmup " + Format.duration(WARMUP) + " --duration "
                    + Format.duration(d) + " --trials " + TRIALS + " --out " + RunCommand.quote(sub.toString()));
            status = Math.max(status, RunCommand.execute(rs, o,
                    BarProgress.onTerminal() ? new BarProgress(o) : new PlainLines(o)));
            entries.set(i, new DemoIndex.Entry(e.name(), e.question(), e.name(), ResultsWriter.read(sub)));
            DemoIndex.write(dir, entries);
            o.println();
        }
        o.println("Demo done. The report: " + index);
        return status;
    }

    /** Each trial's share of {@link #BUDGET}, between 1 s and 2 s, rounded to 100 ms. */
    static Duration perTrial(int trials) {
        long ms = BUDGET.toMillis() / Math.max(1, trials);
        ms = Math.max(1000, Math.min(2000, ms / 100 * 100));
        return Duration.ofMillis(ms);
    }
}
