package org.lwktlab.metrics.export;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.lwktlab.metrics.probe.MetricId;
import org.lwktlab.metrics.probe.ProbeRegistry;
import org.lwktlab.metrics.probe.ProbeSeries;
import org.lwktlab.metrics.sample.ProbeSampler;

/**
 * One probe registry bound to a {@link MetricsServer}: its counters, gauges and high-water marks as
 * Micrometer meters, its distributions as a {@link ProbeDistributions} collector.
 *
 * <ul>
 *   <li>counter {@code X_total} → Micrometer {@code FunctionCounter} {@code X_total}; a
 *       {@code X_seconds_total} counter holds nanoseconds and is exported in seconds;</li>
 *   <li>gauge {@code X} → {@code Gauge} {@code X}, read at scrape time;</li>
 *   <li>high-water mark {@code X} → {@code Gauge} {@code X}: the largest value since the previous scrape
 *       (kept by the {@link ProbeSampler}, so spikes between scrapes are not lost).</li>
 * </ul>
 * Per-CPU-pair series are left out unless the binding was made with {@code perPair}. Series the
 * registry gains later (ports created during a run) are bound at the next scrape.
 *
 * <p><b>Life.</b> {@link #freeze} makes every meter serve the value it has at that moment and stops all
 * reads of the registry, so the registry may be closed (unmapped) while the values stay on show — what
 * {@code --linger} serves after the last trial. {@link #close} removes the meters.
 *
 * <p><b>Threads.</b> Every method runs under the server's scrape lock, so a scrape never reads a
 * registry being frozen or closed.
 */
public final class ProbeBinding implements AutoCloseable {
    private final MetricsServer server;
    private final ProbeSampler sampler;
    private final ProbeRegistry registry;
    private final boolean perPair;
    private final PrometheusMeterRegistry meters;
    private final List<Meter> bound = new ArrayList<>();
    private final List<Source> sources = new ArrayList<>();
    private final ProbeDistributions distributions;
    private int seen;
    private boolean frozen;
    private boolean closed;

    ProbeBinding(MetricsServer server, ProbeSampler sampler, boolean perPair, PrometheusMeterRegistry meters) {
        this.server = server;
        this.sampler = sampler;
        this.registry = sampler.registry();
        this.perPair = perPair;
        this.meters = meters;
        this.distributions = new ProbeDistributions(sampler);
        meters.getPrometheusRegistry().register(distributions);
    }

    /** The registry this binding exports. */
    public ProbeRegistry registry() {
        return registry;
    }

    /** Binds series registered since the last call. Under the scrape lock. */
    void refresh() {
        if (frozen || closed) {
            return;
        }
        List<ProbeSeries> all = registry.series();
        for (int i = seen; i < all.size(); i++) {
            ProbeSeries s = all.get(i);
            if (s.perPair() && !perPair) {
                continue;
            }
            bind(s);
        }
        seen = all.size();
    }

    private void bind(ProbeSeries s) {
        MetricId id = s.id();
        List<Tag> tags = tags(id);
        switch (s) {
            case ProbeSeries.Counter c -> counter(id, tags, c::value);
            case ProbeSeries.FunctionCounter f -> counter(id, tags, f::value);
            case ProbeSeries.Gauge g -> {
                // Every gauge here is a depth; enqueued - dequeued read apart may dip below 0 for a moment.
                gauge(id.name(), id.help(), tags, new Source(() -> Math.max(0, g.value()), 1, false));
                distributions.add(g);
            }
            case ProbeSeries.HighWater h -> {
                ProbeSampler.Mark m = sampler.mark(h);
                String help = id.help().contains("scrape") ? id.help() : id.help() + " (largest since the previous scrape)";
                gauge(id.name(), help, tags, new Source(m::takeMaxSinceScrape, 1, true));
            }
            case ProbeSeries.Histogram h -> distributions.add(h);
            case ProbeSeries.Latency l -> distributions.add(l);
        }
    }

    private void counter(MetricId id, List<Tag> tags, LongSupplier value) {
        String name = id.name();
        boolean seconds = name.endsWith("_seconds_total");
        String base = seconds ? name.substring(0, name.length() - "_seconds_total".length())
                : name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
        Source src = new Source(value, seconds ? 1e-9 : 1, false);
        sources.add(src);
        bound.add(FunctionCounter.builder(base, src, Source::value)
                .description(id.help())
                .baseUnit(seconds ? "seconds" : null)
                .tags(tags)
                .register(meters));
    }

    private void gauge(String name, String help, List<Tag> tags, Source src) {
        sources.add(src);
        bound.add(Gauge.builder(name, src, Source::value)
                .description(help)
                .tags(tags)
                .strongReference(true)
                .register(meters));
    }

    private static List<Tag> tags(MetricId id) {
        List<Tag> tags = new ArrayList<>();
        for (Map.Entry<String, String> e : id.labels().asMap().entrySet()) {
            tags.add(Tag.of(e.getKey(), e.getValue()));
        }
        return tags;
    }

    /**
     * Serves every value as it is now, from now on, and stops reading the registry (and the sampler's
     * marks), so both may be closed. Idempotent.
     */
    public void freeze() {
        server.underLock(() -> {
            if (frozen || closed) {
                return;
            }
            refresh();
            for (Source s : sources) {
                s.freeze();
            }
            distributions.freeze();
            frozen = true;
        });
    }

    /** Removes every meter of this binding from the server. Idempotent. */
    @Override
    public void close() {
        server.underLock(() -> {
            if (closed) {
                return;
            }
            closed = true;
            for (Meter m : bound) {
                meters.remove(m);
            }
            bound.clear();
            meters.getPrometheusRegistry().unregister(distributions);
            server.forget(this);
        });
    }

    /**
     * One exported number: read live until frozen, then the value it had. A source that resets on read
     * (a maximum since the previous scrape) freezes at the larger of its last reading and what came
     * since, so the final spike stays on show. Under the scrape lock.
     */
    private static final class Source {
        private final LongSupplier live;
        private final double scale;
        private final boolean resetsOnRead;
        private boolean frozen;
        private double last;

        Source(LongSupplier live, double scale, boolean resetsOnRead) {
            this.live = live;
            this.scale = scale;
            this.resetsOnRead = resetsOnRead;
        }

        double value() {
            if (!frozen) {
                last = live.getAsLong() * scale;
            }
            return last;
        }

        void freeze() {
            double previous = last;
            double now = value();
            last = resetsOnRead ? Math.max(previous, now) : now;
            frozen = true;
        }
    }
}
