package org.lwktlab.metrics.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lwktlab.metrics.probe.HighWaterMark;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.LatencyProbe;
import org.lwktlab.metrics.probe.Log2Histogram;
import org.lwktlab.metrics.probe.ProbeRegistry;
import org.lwktlab.metrics.sample.ProbeSampler;

class MetricsServerTest {
    private static final ProbeSampler.Options SLOW = ProbeSampler.Options.defaults().withInterval(Duration.ofSeconds(10));
    private static final Labels COMMON = Labels.of("experiment", "t", "design", "message");

    private MetricsServer server;
    private ProbeSampler sampler;
    private ProbeRegistry registry;

    @BeforeEach
    void start() {
        server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() {
        server.close();
        if (sampler != null) {
            sampler.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private void sample(ProbeRegistry r) {
        registry = r;
        sampler = ProbeSampler.start(r, SLOW);
    }

    /** The value of the one exposition line starting with {@code series + " "}. */
    static Optional<Double> value(String text, String series) {
        return text.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim()));
    }

    /** {@code {k="v",...}} with the common labels, sorted as Prometheus writes them. */
    private static String lbl(String extra) {
        java.util.TreeMap<String, String> m = new java.util.TreeMap<>();
        m.put("design", "design=\"message\"");
        m.put("experiment", "experiment=\"t\"");
        for (String kv : extra.isEmpty() ? new String[0] : extra.split(",")) {
            m.put(kv.substring(0, kv.indexOf('=')), kv);
        }
        return "{" + String.join(",", m.values()) + "}";
    }

    @Test
    void servesCountersGaugesHighWaterMarksAndDistributionsOverHttp() throws Exception {
        ProbeRegistry r = ProbeRegistry.inMemory(1024, COMMON);
        AtomicCounter sent = r.counter("lwkt_test_sent_total", "Messages sent", Labels.of("cpu", "0"));
        AtomicCounter wait = r.counter("lwkt_lock_wait_seconds_total", "Time spent waiting", Labels.of("lock", "a"));
        r.gauge("lwkt_port_depth", "Messages waiting", Labels.of("cpu", "0"), false, () -> 3);
        HighWaterMark hwm = r.highWaterMark("lwkt_port_depth_max", "Largest depth", Labels.of("cpu", "0"));
        Log2Histogram perDrain = r.histogram("lwkt_ipi_per_drain", "Entries per drain", Labels.of("cpu", "0"));
        LatencyProbe lat = r.latency("lwkt_msg_handle_latency_seconds", "Send to handle", Labels.of("cpu", "0"));
        sample(r);
        sent.increment();
        sent.increment();
        wait.getAndAdd(1_500_000_000L);
        hwm.observe(42);
        perDrain.record(1);
        perDrain.record(5);
        perDrain.record(5);
        for (int i = 1; i <= 1000; i++) {
            lat.record(i * 1000L);
        }
        sampler.sampleNow();
        server.bind(sampler, false);

        HttpResponse<String> resp = get("/metrics");
        assertEquals(200, resp.statusCode());
        assertEquals(MetricsServer.CONTENT_TYPE, resp.headers().firstValue("Content-Type").orElseThrow());
        String text = resp.body();
        assertEquals(Optional.of(2.0), value(text, "lwkt_test_sent_total" + lbl("cpu=\"0\"")));
        assertEquals(Optional.of(1.5), value(text, "lwkt_lock_wait_seconds_total" + lbl("lock=\"a\"")),
                "nanoseconds exported as seconds");
        assertEquals(Optional.of(3.0), value(text, "lwkt_port_depth" + lbl("cpu=\"0\"")));
        assertEquals(Optional.of(42.0), value(text, "lwkt_port_depth_max" + lbl("cpu=\"0\"")));
        assertEquals(Optional.of(1.0), value(text, "lwkt_ipi_per_drain_bucket" + lbl("cpu=\"0\"").replace("}", ",le=\"1.0\"}")));
        assertEquals(Optional.of(3.0), value(text, "lwkt_ipi_per_drain_bucket" + lbl("cpu=\"0\"").replace("}", ",le=\"7.0\"}")));
        assertEquals(Optional.of(11.0), value(text, "lwkt_ipi_per_drain_sum" + lbl("cpu=\"0\"")));
        double p99 = value(text, "lwkt_msg_handle_latency_seconds" + lbl("cpu=\"0\"").replace("}", ",quantile=\"0.99\"}"))
                .orElseThrow();
        assertEquals(990e-6, p99, 10e-6, "p99 of 1..1000 us");
        assertTrue(value(text, "lwkt_msg_handle_latency_seconds" + lbl("cpu=\"0\"").replace("}", ",quantile=\"0.999\"}"))
                .isPresent());
        assertEquals(Optional.of(1000.0), value(text, "lwkt_msg_handle_latency_seconds_count" + lbl("cpu=\"0\"")));
        assertEquals(Optional.of(3.0), value(text, "lwkt_port_depth_sampled" + lbl("cpu=\"0\"").replace("}", ",quantile=\"0.5\"}")));
        assertTrue(text.contains("jvm_memory_used_bytes"), "JVM metrics come from Micrometer's binders");
        for (String line : text.lines().filter(l -> l.startsWith("# HELP ")).toList()) {
            assertTrue(line.split(" ", 4).length == 4 && !line.split(" ", 4)[3].isBlank(), "every meter has help: " + line);
        }

        String second = server.scrape();
        assertEquals(Optional.of(0.0), value(second, "lwkt_port_depth_max" + lbl("cpu=\"0\"")),
                "the high-water mark restarts after a scrape");
    }

    @Test
    void perPairSeriesOnlyOnRequest() {
        ProbeRegistry r = ProbeRegistry.inMemory(1024, Labels.empty());
        r.functionCounter("lwkt_ipi_ring_enqueued_total", "Ring entries", Labels.of("from_cpu", "0", "to_cpu", "1"), true,
                () -> 7);
        r.functionCounter("lwkt_ipi_received_total", "Received", Labels.of("cpu", "1"), false, () -> 7);
        sample(r);
        server.bind(sampler, false);
        String text = server.scrape();
        assertFalse(text.contains("lwkt_ipi_ring_enqueued_total"), "per-pair series are off by default");
        assertTrue(text.contains("lwkt_ipi_received_total{cpu=\"1\"} 7.0"));
        server.bind(sampler, true);
        assertTrue(server.scrape().contains("lwkt_ipi_ring_enqueued_total{from_cpu=\"0\",to_cpu=\"1\"} 7.0"));
    }

    @Test
    void bindsSeriesRegisteredAfterTheBindingAndMixedLabelSets() {
        ProbeRegistry r = ProbeRegistry.inMemory(1024, Labels.empty());
        r.gauge("lwkt_port_depth", "Messages waiting", Labels.of("cpu", "0", "port", "a"), false, () -> 1);
        sample(r);
        server.bind(sampler, false);
        server.scrape();
        r.gauge("lwkt_port_depth", "Messages waiting", Labels.of("cpu", "1", "port", "b", "subsystem", "netisr"), false,
                () -> 2);
        String text = server.scrape();
        assertTrue(text.contains("lwkt_port_depth{cpu=\"0\",port=\"a\"} 1.0"), text);
        assertTrue(text.contains("lwkt_port_depth{cpu=\"1\",port=\"b\",subsystem=\"netisr\"} 2.0"), text);
    }

    @Test
    void aFrozenBindingKeepsServingAfterItsMappedRegistryIsClosed(@TempDir Path dir) {
        ProbeRegistry r = ProbeRegistry.mapped(dir.resolve("c.counters"), 1024, Labels.empty());
        AtomicCounter c = r.counter("lwkt_test_sent_total", "Messages sent", Labels.of("cpu", "0"));
        HighWaterMark hwm = r.highWaterMark("lwkt_port_depth_max", "Largest depth", Labels.of("cpu", "0"));
        Log2Histogram h = r.histogram("lwkt_ipi_per_drain", "Entries per drain", Labels.of("cpu", "0"));
        sampler = ProbeSampler.start(r, SLOW);
        ProbeBinding b = server.bind(sampler, false);
        c.getAndAdd(5);
        h.record(2);
        hwm.observe(9);
        sampler.sampleNow();
        b.freeze();
        sampler.close();
        sampler = null;
        r.close(); // unmapped: a scrape that still read it would crash the JVM
        String text = server.scrape();
        assertTrue(text.contains("lwkt_test_sent_total{cpu=\"0\"} 5.0"), text);
        assertTrue(text.contains("lwkt_port_depth_max{cpu=\"0\"} 9.0"), "the last spike stays on show");
        assertTrue(text.contains("lwkt_ipi_per_drain_count{cpu=\"0\"} 1"), text);
        assertTrue(server.scrape().contains("lwkt_port_depth_max{cpu=\"0\"} 9.0"), "frozen values do not reset");
        b.close();
        assertFalse(server.scrape().contains("lwkt_"), "a closed binding exports nothing");
    }

    @Test
    void bindingANewRegistryReplacesThePreviousOne() {
        ProbeRegistry a = ProbeRegistry.inMemory(1024, Labels.of("design", "a"));
        a.counter("lwkt_test_sent_total", "Messages sent", Labels.empty());
        ProbeSampler sa = ProbeSampler.start(a, SLOW);
        ProbeRegistry b = ProbeRegistry.inMemory(1024, Labels.of("design", "b"));
        b.counter("lwkt_test_sent_total", "Messages sent", Labels.empty());
        sample(b);
        try {
            server.bind(sa, false);
            server.bind(sampler, false);
            String text = server.scrape();
            assertFalse(text.contains("design=\"a\""), text);
            assertTrue(text.contains("lwkt_test_sent_total{design=\"b\"} 0.0"), text);
        } finally {
            sa.close();
        }
    }

    @Test
    void answersOnlyGetAndHeadAtMetrics() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals(404, get("/nope").statusCode());
        assertEquals(200, get("/").statusCode());
    }

    @Test
    void rejectsBadAddressesWithTheExpectedForm() {
        for (String bad : List.of("", "9400", "127.0.0.1:", "127.0.0.1:x", "127.0.0.1:70000")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricsServer.parseAddress(bad));
            assertTrue(e.getMessage().contains("HOST:PORT"), e.getMessage());
        }
        assertEquals(9400, MetricsServer.parseAddress("127.0.0.1:9400").getPort());
        assertEquals(9400, MetricsServer.parseAddress("[::1]:9400").getPort());
        IllegalArgumentException busy = assertThrows(IllegalArgumentException.class,
                () -> MetricsServer.start(server.address()));
        assertTrue(busy.getMessage().contains("pick another port"), busy.getMessage());
    }

    private URI uri(String path) {
        return server.uri().resolve(path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
