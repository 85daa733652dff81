package org.lwktlab.lab.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.lwktlab.metrics.stat.CountersDirectory;
import org.lwktlab.metrics.stat.Stat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/lab stat}: a vmstat-style view of a running experiment, from another terminal. */
@Command(name = "stat", mixinStandardHelpOptions = true, description = {
        "Watch a running experiment from another terminal: one line per CPU every second.",
        "Each line: messages handled/s, IPIs run/s, the deepest queue of the last second, messages per drain and"
                + " wake-ups skipped/s. It attaches to the newest run; runs keep their counters in $"
                + CountersDirectory.ENV + " (default /dev/shm/lwkt-lab-USER)."})
public final class StatCommand implements Callable<Integer> {
    @Option(names = "--interval", converter = DurationConverter.class, defaultValue = "1s",
            description = "Time between two lines (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--count", defaultValue = "0", description = "Stop after this many lines (default: until the run ends).")
    long count;

    @Option(names = "--wait", converter = DurationConverter.class, defaultValue = "0s",
            description = "Wait this long for a run to start (default: ${DEFAULT-VALUE}).")
    Duration waitFor;

    @Option(names = "--file", paramLabel = "PATH", description = "Read this counters file instead of the newest live run's.")
    Path file;

    @Override
    public Integer call() {
        return new Stat(new Stat.Options(file, CountersDirectory.standard(), interval, count, waitFor), System.out).run();
    }
}
