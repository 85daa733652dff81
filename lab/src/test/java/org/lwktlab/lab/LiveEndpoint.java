package org.lwktlab.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.run.Observation;
import org.lwktlab.lab.run.RunResults;
import org.lwktlab.lab.run.RunSpec;
import org.lwktlab.lab.run.Runner;
import org.lwktlab.lwkt.KernelConfig;
import org.lwktlab.metrics.export.MetricsServer;

/** Test helper: short runs bound to a metrics server, and the metric names its endpoint exported. */
final class LiveEndpoint {
    private LiveEndpoint() {}

    /** Runs {@code e} for {@code designs} on {@code cpus} CPUs, serving every trial from {@code server}. */
    static RunResults run(MetricsServer server, Experiment e, List<String> designs, int cpus, Duration duration, Path out) {
        RunSpec spec = new RunSpec(e, designs, List.of(cpus), Duration.ofMillis(200), duration, 1, 0, 7, out,
                KernelConfig.Pin.AUTO, java.util.Map.of(), "test");
        return new Runner(spec, System.out).observe(Observation.defaults().withServer(server)).run();
    }

    /** The sample names of an exposition text ({@code name} of {@code name{labels} value}). */
    static Set<String> names(String exposition, Set<String> into) {
        exposition.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(l -> {
            int end = l.indexOf('{');
            into.add(l.substring(0, end >= 0 ? end : l.indexOf(' ')));
        });
        return into;
    }

    /** Scrapes {@code server} every 20 ms on a thread of its own while {@code body} runs; returns every name seen. */
    static Set<String> namesWhile(MetricsServer server, Runnable body) throws InterruptedException {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Throwable[] failure = new Throwable[1];
        Thread scraper = Thread.ofPlatform().name("test-scraper").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    names(server.scrape(), seen);
                    Thread.sleep(20);
                }
            } catch (InterruptedException done) {
                // body finished
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        try {
            body.run();
        } finally {
            scraper.interrupt();
            scraper.join(10_000);
        }
        if (failure[0] != null) {
            throw new AssertionError("a scrape during the run failed", failure[0]);
        }
        names(server.scrape(), seen);
        return seen;
    }
}
