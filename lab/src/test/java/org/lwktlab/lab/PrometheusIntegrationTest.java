package org.lwktlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lwktlab.lab.experiment.Experiments;
import org.lwktlab.lab.run.RunResults;
import org.lwktlab.metrics.export.MetricsServer;

/**
 * A real Prometheus ({@code /usr/bin/prometheus}, Debian package {@code prometheus}) on loopback scrapes a
 * live short run every second; its HTTP API must then hold queue-depth and coalescing series for every
 * CPU, and every expression of the Grafana dashboard must run on it. Every process the test starts is
 * stopped at the end.
 *
 * <p>Without the binary the test is skipped, saying so — except under CI ({@code CI=true}), where a
 * missing Prometheus fails it ({@code .ci/run} installs the package).
 */
class PrometheusIntegrationTest {
    private static final int CPUS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;
    private static MetricsServer server;
    private static Process prometheus;
    private static URI api;

    @BeforeAll
    static void startPrometheusScrapingTheLab() throws Exception {
        Path bin = prometheusBinary();
        server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0));
        int port = freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: lwkt-lab
                    scrape_interval: 1s
                    scrape_timeout: 900ms
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(server.address().getPort()));
        prometheus = new ProcessBuilder(bin.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        api = URI.create("http://127.0.0.1:" + port + "/");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!ready()) {
            if (!prometheus.isAlive() || System.nanoTime() > deadline) {
                fail("prometheus did not become ready in 30 s (alive: " + prometheus.isAlive() + "); its log:\n"
                        + Files.readString(dir.resolve("prometheus.log")));
            }
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertTrue(!prometheus.isAlive(), "prometheus (pid " + prometheus.pid() + ") is still running");
        }
        if (server != null) {
            server.close();
        }
    }

    private static Path prometheusBinary() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            Path p = Path.of(d, "prometheus");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String why = "no 'prometheus' binary on PATH; install it with "
                + "'DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus'";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(why + " (CI=true: the real-Prometheus test must run in CI; .ci/run installs it)");
        }
        Assumptions.abort("skipped: " + why);
        throw new AssertionError("unreachable");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean ready() {
        try {
            return HTTP.send(HttpRequest.newBuilder(api.resolve("-/ready")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static JsonNode query(String promql) throws Exception {
        URI u = api.resolve("api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode j = JSON.readTree(r.body());
        assertEquals("success", j.path("status").asText(), "query " + promql + " failed: " + r.body());
        return j.path("data").path("result");
    }

    /** The CPUs for which {@code promql} returns a series. */
    private static Set<String> cpus(String promql) throws Exception {
        Set<String> cpus = new TreeSet<>();
        for (JsonNode s : query(promql)) {
            cpus.add(s.path("metric").path("cpu").asText());
        }
        return cpus;
    }

    @Test
    void queueDepthAndCoalescingSeriesOfEveryCpuArrive() throws Exception {
        RunResults r = LiveEndpoint.run(server, Experiments.load().get("ipi-pingpong"), List.of("message"), CPUS,
                Duration.ofSeconds(3), dir.resolve("run"));
        assertTrue(r.complete() && r.runs().getFirst().ok(), "the run failed: " + r.runs());
        Set<String> all = new TreeSet<>();
        for (int c = 0; c < CPUS; c++) {
            all.add(Integer.toString(c));
        }
        String sel = "{experiment=\"ipi-pingpong\",design=\"message\"}";
        List<String> queries = List.of(
                "max_over_time(lwkt_ipi_queue_depth_max" + sel + "[1m])",
                "lwkt_ipi_queue_depth_sampled_count" + sel + " > 0",
                "lwkt_submission_depth_sampled_count" + sel + " > 0",
                "max by (cpu) (lwkt_port_depth_sampled_count" + sel + ") > 0",
                "lwkt_ipi_per_drain_count" + sel + " > 0",
                "lwkt_ipi_per_drain_bucket{experiment=\"ipi-pingpong\",le=\"+Inf\"} > 0",
                "lwkt_ipi_wakeups_skipped_total" + sel);
        // The frozen last trial stays on /metrics, so Prometheus keeps scraping it: wait for every series.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> missing = new ArrayList<>(queries);
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            List<String> still = new ArrayList<>();
            for (String q : missing) {
                if (!cpus(q).equals(all)) {
                    still.add(q);
                }
            }
            missing = still;
            if (!missing.isEmpty()) {
                Thread.sleep(500);
            }
        }
        List<String> report = new ArrayList<>();
        for (String q : missing) {
            report.add(q + " -> cpus " + cpus(q));
        }
        assertTrue(missing.isEmpty(), "series missing in Prometheus for some CPU (want " + all + "):\n"
                + String.join("\n", report));
        JsonNode up = query("up{job=\"lwkt-lab\"}");
        assertEquals("1", up.get(0).path("value").get(1).asText(), "the lab target is up");
    }

    @Test
    void theExpositionOfEveryDesignPassesPromtoolLint() throws Exception {
        Path promtool = prometheusBinary().resolveSibling("promtool");
        assertTrue(Files.isExecutable(promtool), "promtool should come with prometheus, next to it: " + promtool);
        for (var e : Experiments.load().all()) {
            for (String design : e.designs()) {
                RunResults r = LiveEndpoint.run(server, e, List.of(design), Math.max(2, e.minCpus()), Duration.ofMillis(300),
                        dir.resolve("lint-" + e.name() + "-" + design));
                assertTrue(r.complete(), e.name() + " " + design + " did not run to the end");
                Path text = dir.resolve("scrape-" + e.name() + "-" + design + ".txt");
                Files.writeString(text, server.scrape()); // the trial's frozen values
                Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(text.toFile())
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "promtool hung");
                assertEquals(0, p.exitValue(), "promtool check metrics on " + e.name() + " " + design + ":\n" + out);
            }
        }
    }

    @Test
    void everyDashboardExpressionRunsOnPrometheus() throws Exception {
        for (String e : Dashboard.expressions(Dashboard.json())) {
            String promql = Dashboard.resolve(e);
            if (promql.startsWith("label_values(")) {
                String metric = Dashboard.metricNames(promql).iterator().next();
                query("count(" + metric + ")");
            } else {
                query(promql);
            }
        }
    }
}
