package org.lwktlab.metrics.export;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.sample.ProbeSampler;

/**
 * Serves probe registries at {@code /metrics} in the Prometheus text format: Micrometer's
 * {@link PrometheusMeterRegistry} (on the {@code io.prometheus:prometheus-metrics} 1.x client) holds the
 * meters, a {@link ProbeBinding} per registry feeds it, and the JDK's HTTP server answers scrapes.
 *
 * <p>The process's JVM metrics (memory, GC, threads, class loading, CPU, uptime) come from Micrometer's
 * binders only: registering the Prometheus client's JVM collectors as well would give two families the
 * same names and fail every scrape.
 *
 * <p>Why not the Prometheus client's {@code HTTPServer}: a scrape here must first bind series registered
 * since the previous one, and must never overlap a binding being frozen or closed (the registry behind
 * it may be unmapped right after). Both need the scrape to run under this server's lock, which the
 * client's server, scraping the registry directly, cannot take. The JDK server it is built on is used
 * directly instead.
 *
 * <p><b>Threads.</b> Scrapes run on one HTTP thread; {@link #bind}, {@link ProbeBinding#freeze},
 * {@link ProbeBinding#close}, {@link #scrape} and {@link #close} may be called from any thread. All of
 * them, and every read of a probe they cause, hold one lock. One registry is bound at a time: binding a
 * new one closes the previous binding (the runner binds each trial in turn).
 */
public final class MetricsServer implements AutoCloseable {
    /** Content type of the Prometheus text format served. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Set<String> UNLINTED = Set.of("process.cpu.time", "system.cpu.count");

    private final PrometheusMeterRegistry meters;
    private final HttpServer http;
    private final ExecutorService executor;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<ProbeBinding> bindings = new ArrayList<>();
    private final JvmGcMetrics gc;
    private boolean failureReported;
    private boolean closed;

    private MetricsServer(PrometheusMeterRegistry meters, HttpServer http, ExecutorService executor, JvmGcMetrics gc) {
        this.meters = meters;
        this.http = http;
        this.executor = executor;
        this.gc = gc;
    }

    /**
     * Starts serving at {@code address} (port 0 picks a free port).
     *
     * @throws IllegalArgumentException if the address cannot be listened on, saying why
     */
    public static MetricsServer start(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        meters.throwExceptionOnRegistrationFailure();
        // Two of Micrometer's processor meters break Prometheus naming rules (promtool: an abbreviated
        // unit, a _count suffix on a gauge); the CPU usage gauges stay.
        meters.config().meterFilter(MeterFilter.deny(id -> UNLINTED.contains(id.getName())));
        new JvmMemoryMetrics().bindTo(meters);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ClassLoaderMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        // The JDK server writes headers and body in two sends; with Nagle on, the client's delayed ACK
        // holds the body back ~40 ms. Read once, when the server classes load: set it before the first server.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        HttpServer http;
        try {
            http = HttpServer.create(address, 16);
        } catch (BindException e) {
            gc.close();
            throw new IllegalArgumentException("cannot serve metrics on " + describe(address) + ": " + e.getMessage()
                    + " (is another run serving there? pick another port)", e);
        } catch (IOException e) {
            gc.close();
            throw new IllegalArgumentException("cannot serve metrics on " + describe(address) + ": " + e, e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metrics-http");
            t.setDaemon(true);
            return t;
        });
        MetricsServer server = new MetricsServer(meters, http, executor, gc);
        http.createContext("/metrics", server::handleMetrics);
        http.createContext("/", server::handleIndex);
        http.setExecutor(executor);
        http.start();
        return server;
    }

    /**
     * Parses {@code HOST:PORT} ({@code 127.0.0.1:9400}, {@code localhost:9400}, {@code [::1]:9400}).
     *
     * @throws IllegalArgumentException naming what is wrong and the expected form
     */
    public static InetSocketAddress parseAddress(String hostPort) {
        String form = " (expected HOST:PORT, e.g. 127.0.0.1:9400)";
        if (hostPort == null || hostPort.isBlank()) {
            throw new IllegalArgumentException("metrics address is empty" + form);
        }
        String v = hostPort.trim();
        int colon = v.lastIndexOf(':');
        if (colon <= 0 || colon == v.length() - 1) {
            throw new IllegalArgumentException("metrics address '" + hostPort + "' has no host or no port" + form);
        }
        String host = v.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(v.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metrics address '" + hostPort + "': port is not a number" + form);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("metrics address '" + hostPort + "': port must be 0..65535" + form);
        }
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) {
            throw new IllegalArgumentException("metrics address '" + hostPort + "': unknown host '" + host + "'" + form);
        }
        return a;
    }

    private static String describe(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }

    /** The address actually listened on (the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    /** {@code http://HOST:PORT/metrics}. */
    public URI uri() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort() + "/metrics");
    }

    /**
     * Exports the registry {@code sampler} samples (closing any previous binding first).
     *
     * @param perPair also export per-CPU-pair series (N² of them; {@code probes.per-pair})
     */
    public ProbeBinding bind(ProbeSampler sampler, boolean perPair) {
        Objects.requireNonNull(sampler, "sampler");
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("metrics server is closed");
            }
            for (ProbeBinding b : List.copyOf(bindings)) {
                b.close();
            }
            ProbeBinding b = new ProbeBinding(this, sampler, perPair, meters);
            bindings.add(b);
            b.refresh();
            return b;
        } finally {
            lock.unlock();
        }
    }

    /** The exposition text, exactly what {@code GET /metrics} returns now. */
    public String scrape() {
        lock.lock();
        try {
            for (ProbeBinding b : bindings) {
                b.refresh();
            }
            return meters.scrape(CONTENT_TYPE);
        } finally {
            lock.unlock();
        }
    }

    void underLock(Runnable r) {
        lock.lock();
        try {
            r.run();
        } finally {
            lock.unlock();
        }
    }

    void forget(ProbeBinding b) {
        bindings.remove(b);
    }

    private void handleMetrics(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                respond(ex, 405, "text/plain; charset=utf-8", "only GET and HEAD are served here\n");
                return;
            }
            String body;
            try {
                body = scrape();
            } catch (RuntimeException e) {
                reportOnce(e);
                respond(ex, 500, "text/plain; charset=utf-8", "scrape failed: " + e + "\n");
                return;
            }
            respond(ex, 200, CONTENT_TYPE, body);
        }
    }

    private void handleIndex(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestURI().getPath().equals("/")) {
                respond(ex, 404, "text/plain; charset=utf-8", "not found; metrics are at /metrics\n");
                return;
            }
            respond(ex, 200, "text/plain; charset=utf-8", "LWKT Lab probes: /metrics (Prometheus text format)\n");
        }
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private void reportOnce(RuntimeException e) {
        lock.lock();
        try {
            if (!failureReported) {
                failureReported = true;
                System.err.println("metrics: a scrape failed; it answered HTTP 500 (further failures are not printed):");
                e.printStackTrace();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops serving (waiting at most 2 s for a scrape in flight) and closes every binding. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (ProbeBinding b : List.copyOf(bindings)) {
                b.close();
            }
        } finally {
            lock.unlock();
        }
        http.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        gc.close();
        meters.close();
    }

    /** Probe labels as Prometheus labels. */
    static io.prometheus.metrics.model.snapshots.Labels labels(Labels l) {
        Map<String, String> m = l.asMap();
        String[] names = m.keySet().toArray(String[]::new);
        String[] values = m.values().toArray(String[]::new);
        return io.prometheus.metrics.model.snapshots.Labels.of(names, values);
    }
}
