package org.lwktlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.experiment.Experiments;
import org.lwktlab.lab.run.RunResults;
import org.lwktlab.metrics.export.MetricsServer;

/**
 * The Grafana dashboard only asks for metrics the lab exports: every experiment runs every design
 * briefly while the live endpoint is scraped, and each metric a dashboard expression names must have
 * been served.
 */
class DashboardTest {
    @Test
    void everyMetricTheDashboardQueriesIsExported(@TempDir Path dir) throws Exception {
        JsonNode dash = Dashboard.json();
        List<String> exprs = Dashboard.expressions(dash);
        Set<String> used = new TreeSet<>();
        for (String e : exprs) {
            Set<String> names = Dashboard.metricNames(e);
            assertFalse(names.isEmpty(), "an expression that reads no metric: " + e);
            used.addAll(names);
        }
        assertTrue(used.containsAll(Set.of("lwkt_ipi_queue_depth_max", "lwkt_port_depth_sampled", "lwkt_ipi_per_drain_bucket",
                "lwkt_lock_contended_total", "lwkt_msg_handle_latency_seconds")), "the dashboard reads: " + used);
        Set<String> exported;
        try (MetricsServer server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0))) {
            List<RunResults> runs = new ArrayList<>();
            exported = LiveEndpoint.namesWhile(server, () -> {
                for (Experiment e : Experiments.load().all()) {
                    runs.add(LiveEndpoint.run(server, e, e.designs(), Math.max(2, e.minCpus()), Duration.ofMillis(300),
                            dir.resolve(e.name())));
                }
            });
            for (RunResults r : runs) {
                assertTrue(r.complete(), r.experiment() + " did not run to the end");
            }
        }
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(exported);
        assertTrue(missing.isEmpty(), "the dashboard queries metrics the lab does not export: " + missing
                + "\nexported: " + exported);
    }

    @Test
    void hasTheDesignAndCpuVariablesAndAPanelForEachQuestion() throws Exception {
        JsonNode dash = Dashboard.json();
        Set<String> vars = new TreeSet<>();
        dash.path("templating").path("list").forEach(v -> vars.add(v.path("name").asText()));
        assertTrue(vars.containsAll(Set.of("design", "cpu")), "variables: " + vars);
        Set<String> rows = new TreeSet<>();
        for (JsonNode p : dash.path("panels")) {
            if (p.path("type").asText().equals("row")) {
                rows.add(p.path("title").asText());
            } else {
                assertFalse(p.path("description").asText().isBlank(), "panel without a description: " + p.path("title"));
                assertEquals("lwkt-prometheus", p.path("datasource").path("uid").asText(), "panel datasource");
            }
        }
        for (String topic : List.of("Throughput", "Queue depth", "Coalescing", "IPIs", "Lock", "Latency")) {
            assertTrue(rows.stream().anyMatch(r -> r.contains(topic)), "no row about " + topic + ": " + rows);
        }
    }

    @Test
    void namesAreFoundInPromql() {
        assertEquals(Set.of("lwkt_a_sum", "lwkt_a_count"), Dashboard.metricNames(
                "sum by (design, cpu) (rate(lwkt_a_sum{design=~\"$design\"}[$__rate_interval])) / sum by (cpu) (rate(lwkt_a_count[1m]))"));
        assertEquals(Set.of("lwkt_b_bucket"), Dashboard.metricNames(
                "histogram_quantile(0.99, sum by (le) (rate(lwkt_b_bucket{quantile=\"0.99\"}[5m])))"));
        assertEquals(Set.of("lwkt_c_total"), Dashboard.metricNames("label_values(lwkt_c_total{x=\"y\"}, design)"));
    }
}
