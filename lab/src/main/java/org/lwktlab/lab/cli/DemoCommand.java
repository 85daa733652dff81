package org.lwktlab.lab.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.experiment.Experiments;
import org.lwktlab.lab.run.RunSpec;
import org.lwktlab.lwkt.KernelConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/lab demo}: the README's main job — a short tour of the experiments that exist, about a
 * minute on two cores, each with its results folder.
 */
@Command(name = "demo", description = "A one-minute tour: runs each experiment briefly and writes its results.")
public final class DemoCommand implements Callable<Integer> {
    /** The tour: experiment, designs, extra settings. Experiments not on the class path are skipped. */
    static final List<Stop> TOUR = List.of(
            new Stop("ipi-pingpong", List.of("message", "ipi"), Map.of()),
            new Stop("shared-update", List.of("message", "mutex", "token"), Map.of()),
            new Stop("slab-remote-free", List.of("message", "message-cas", "mutex", "jvm"), Map.of()));

    record Stop(String experiment, List<String> designs, Map<String, String> settings) {}

    @Option(names = "--out", description = "Results folder (default: results/demo-TIME).")
    Path out;

    @Option(names = "--duration", converter = DurationConverter.class, defaultValue = "2s",
            description = "Measured time per trial (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Override
    public Integer call() throws Exception {
        Path dir = out != null ? out : Path.of("results",
                "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        System.out.println("LWKT Lab demo: results (one folder per experiment) in " + dir.toAbsolutePath().normalize());
        System.out.println();
        Experiments all = Experiments.load();
        int status = 0;
        for (Stop s : TOUR) {
            Experiment e;
            try {
                e = all.get(s.experiment());
            } catch (IllegalArgumentException missing) {
                continue;
            }
            System.out.println("== " + e.name() + ": " + e.question());
            RunSpec rs = new RunSpec(e, s.designs(), List.of(2), Duration.ofMillis(500), duration, 2, 0, 1,
                    dir.resolve(e.name()), KernelConfig.Pin.AUTO, s.settings(),
                    "bin/lab run " + e.name() + " --design " + String.join(",", s.designs())
                            + " --cpus 2 --warmup 500ms --duration " + duration.toMillis() + "ms --trials 2");
            status = Math.max(status, RunCommand.execute(rs, System.out));
            System.out.println();
        }
        System.out.println("Demo done. Results in " + dir.toAbsolutePath().normalize());
        return status;
    }
}
