package org.lwktlab.lab.run;

import java.util.Objects;
import org.lwktlab.metrics.export.MetricsServer;
import org.lwktlab.metrics.sample.ProbeSampler;
import org.lwktlab.metrics.stat.CountersDirectory;

/**
 * How a run watches its trials besides measuring them: how often the probe sampler ticks, where the
 * memory-mapped counters go (so {@code bin/lab stat} can attach), and the metrics server that serves
 * each trial while it runs.
 *
 * @param sampler  the sampler's rate, timeline bound and recent window
 * @param counters where each trial's counters file goes; null keeps counters in process memory (then
 *                 {@code bin/lab stat} cannot attach)
 * @param server   the server each trial is bound to while it runs; null serves nothing
 */
public record Observation(ProbeSampler.Options sampler, CountersDirectory counters, MetricsServer server) {
    public Observation {
        Objects.requireNonNull(sampler, "sampler");
    }

    /** Default sampling, counters in the standard directory, no server. */
    public static Observation defaults() {
        return new Observation(ProbeSampler.Options.defaults(), CountersDirectory.standard(), null);
    }

    /** Counters kept in memory, no server: for tests. */
    public static Observation inMemory() {
        return new Observation(ProbeSampler.Options.defaults(), null, null);
    }

    public Observation withSampler(ProbeSampler.Options o) {
        return new Observation(o, counters, server);
    }

    public Observation withServer(MetricsServer s) {
        return new Observation(sampler, counters, s);
    }
}
