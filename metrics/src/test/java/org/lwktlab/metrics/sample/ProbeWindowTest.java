package org.lwktlab.metrics.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;
import org.lwktlab.metrics.probe.HighWaterMark;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.LatencyProbe;
import org.lwktlab.metrics.probe.Log2Histogram;
import org.lwktlab.metrics.probe.ProbeRegistry;

class ProbeWindowTest {
    @Test
    void reportsEachSeriesForTheWindowOnly() {
        ProbeRegistry r = ProbeRegistry.inMemory(1024, Labels.of("design", "message"));
        Labels cpu0 = Labels.of("cpu", "0");
        AtomicCounter sent = r.counter("lwkt_msg_sent_total", "sent", cpu0);
        AtomicCounter wait = r.counter("lwkt_lock_wait_seconds_total", "wait", cpu0);
        AtomicLong depth = new AtomicLong();
        r.gauge("lwkt_port_depth", "depth", cpu0, false, depth::get);
        HighWaterMark hwm = r.highWaterMark("lwkt_port_depth_max", "max", cpu0);
        Log2Histogram perRun = r.histogram("lwkt_port_per_run", "per run", cpu0);
        LatencyProbe lat = r.latency("lwkt_msg_handle_latency_seconds", "latency", cpu0);
        try (ProbeSampler sampler = ProbeSampler.start(r, ProbeSampler.Options.defaults().withInterval(Duration.ofSeconds(10)))) {
            // Before the window: none of this may show.
            sent.getAndAdd(100);
            hwm.observe(500);
            perRun.record(9);
            lat.record(5_000_000);
            depth.set(50);
            sampler.sampleNow();

            ProbeWindow w = ProbeWindow.begin(sampler);
            assertThrows(IllegalStateException.class, w::perProbe);
            sent.getAndAdd(7);
            wait.getAndAdd(250_000_000L);
            hwm.observe(12);
            perRun.record(3);
            perRun.record(4);
            for (int i = 0; i < 10; i++) {
                lat.record(1_000);
            }
            depth.set(4);
            sampler.sampleNow();
            depth.set(6);
            w.end();
            Map<String, Number> m = w.perProbe();

            assertEquals(7L, m.get("lwkt_msg_sent_total{cpu=\"0\"}"));
            assertEquals(0.25, m.get("lwkt_lock_wait_seconds_total{cpu=\"0\"}").doubleValue(), 1e-12);
            assertEquals(12L, m.get("lwkt_port_depth_max{cpu=\"0\"}"), "the window's maximum, not the earlier 500");
            assertEquals(2L, m.get("lwkt_port_per_run_count{cpu=\"0\"}"));
            assertEquals(7L, m.get("lwkt_port_per_run_sum{cpu=\"0\"}"));
            assertEquals(10L, m.get("lwkt_msg_handle_latency_seconds_count{cpu=\"0\"}"));
            assertEquals(1e-6, m.get("lwkt_msg_handle_latency_seconds{cpu=\"0\",quantile=\"0.999\"}").doubleValue(), 1e-8,
                    "the 5 ms before the window is not in it");
            assertEquals(6L, m.get("lwkt_port_depth{cpu=\"0\"}"));
            // begin's sample saw 50 (the old window), then 4 and 6 in this one
            assertEquals(2L, m.get("lwkt_port_depth_sampled_count{cpu=\"0\"}"));
            assertEquals(10L, m.get("lwkt_port_depth_sampled_sum{cpu=\"0\"}"));
            assertEquals(6L, m.get("lwkt_port_depth_sampled{cpu=\"0\",quantile=\"0.999\"}"));
            assertFalse(m.keySet().stream().anyMatch(k -> k.contains("design=")), "common labels are left out");

            Timeline t = w.timeline();
            assertEquals(t.size(), t.depth().get("lwkt_port_depth{cpu=\"0\"}").size());
            assertEquals(0.0, t.tS().get(t.size() - 3), 0.5, "times count from the window's start");
            assertThrows(IllegalStateException.class, w::end);
        } finally {
            r.close();
        }
    }
}
