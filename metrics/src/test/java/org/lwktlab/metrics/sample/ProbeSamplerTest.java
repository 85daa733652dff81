package org.lwktlab.metrics.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lwktlab.metrics.probe.HighWaterMark;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * The sampler's background thread ticks every 10 s here, so the test drives every sample itself with
 * {@link ProbeSampler#sampleNow} (the first tick happens in {@code start}).
 */
class ProbeSamplerTest {
    private static final ProbeSampler.Options SLOW = ProbeSampler.Options.defaults().withInterval(Duration.ofSeconds(10));

    private final ProbeRegistry registry = ProbeRegistry.inMemory(1024, Labels.of("design", "message"));
    private final AtomicLong depth = new AtomicLong();
    private ProbeSampler sampler;

    @AfterEach
    void close() {
        if (sampler != null) {
            sampler.close();
        }
    }

    @Test
    void keepsTheMaximumSinceTheLastScrapeAndTheWindow() {
        HighWaterMark hwm = registry.highWaterMark("lwkt_port_depth_max", "max", Labels.of("cpu", "0"));
        sampler = ProbeSampler.start(registry, SLOW);
        ProbeSampler.Mark mark = sampler.marks().getFirst();
        assertEquals("lwkt_port_depth_max{cpu=\"0\"}", mark.key(), "common labels are left out of the key");
        hwm.observe(40);
        sampler.sampleNow();
        hwm.observe(7);
        sampler.sampleNow();
        assertEquals(40, mark.takeMaxSinceScrape());
        assertEquals(0, mark.takeMaxSinceScrape(), "taken");
        assertEquals(40, mark.windowMax());
        sampler.restartWindow();
        hwm.observe(3);
        sampler.sampleNow();
        assertEquals(3, mark.windowMax());
        assertEquals(40, mark.allTimeMax());
    }

    @Test
    void samplesDepthGaugesIntoDistributions() {
        registry.gauge("lwkt_port_depth", "depth", Labels.of("cpu", "0"), false, depth::get);
        sampler = ProbeSampler.start(registry, SLOW);
        ProbeSampler.Depth d = sampler.depths().getFirst();
        sampler.restartWindow();
        for (int i = 1; i <= 100; i++) {
            depth.set(i);
            sampler.sampleNow();
        }
        assertEquals(100, d.window().getTotalCount());
        assertEquals(100, d.window().getMaxValue());
        assertEquals(50, d.window().getValueAtPercentile(50), 1);
        assertEquals(100, d.last());
        assertTrue(d.count() >= 100);
        assertTrue(d.recent().getTotalCount() >= 100);
    }

    @Test
    void picksUpSeriesRegisteredLater() {
        registry.gauge("lwkt_port_depth", "depth", Labels.of("cpu", "0"), false, depth::get);
        sampler = ProbeSampler.start(registry, SLOW);
        assertEquals(1, sampler.depths().size());
        registry.gauge("lwkt_port_depth", "depth", Labels.of("cpu", "1"), false, () -> 5);
        registry.highWaterMark("lwkt_port_depth_max", "max", Labels.of("cpu", "1"));
        sampler.sampleNow();
        assertEquals(2, sampler.depths().size());
        assertEquals(1, sampler.marks().size());
        Timeline t = sampler.timeline(sampler.startNanos());
        assertEquals(java.util.Arrays.asList(null, 5L), t.depth().get("lwkt_port_depth{cpu=\"1\"}"),
                "a later series has no value before it existed");
        assertEquals(0.0, t.tS().getFirst(), 1.0);
    }

    @Test
    void aLongTimelineIsThinnedWithoutLosingASpike() {
        registry.gauge("lwkt_port_depth", "depth", Labels.of("cpu", "0"), false, depth::get);
        HighWaterMark hwm = registry.highWaterMark("lwkt_port_depth_max", "max", Labels.of("cpu", "0"));
        sampler = ProbeSampler.start(registry, SLOW.withTimelinePoints(16));
        for (int i = 0; i < 200; i++) {
            hwm.observe(i == 137 ? 9999 : 1);
            depth.set(i);
            sampler.sampleNow();
        }
        Timeline t = sampler.timeline(sampler.startNanos());
        assertTrue(t.size() <= 17, "bounded (plus the unfinished step): " + t.size());
        assertTrue(t.size() >= 8, "thinned by half at most: " + t.size());
        List<Long> hwms = t.hwm().get("lwkt_port_depth_max{cpu=\"0\"}");
        List<Long> depths = t.depth().get("lwkt_port_depth{cpu=\"0\"}");
        assertEquals(t.size(), hwms.size());
        assertEquals(t.size(), depths.size());
        assertEquals(9999, hwms.stream().mapToLong(Long::longValue).max().orElseThrow());
        assertEquals(199, depths.getLast(), "the newest depth is kept");
        for (int i = 1; i < t.size(); i++) {
            assertTrue(t.tS().get(i) >= t.tS().get(i - 1), "times ascend");
        }
        assertTrue(t.intervalS() >= 10 * 8, "the step grew with thinning: " + t.intervalS());
    }

    @Test
    void publishesTheTrailingSecondMaximumForAttachedReaders() {
        HighWaterMark hwm = registry.highWaterMark("lwkt_ipi_queue_depth_max", "max", Labels.of("cpu", "0"));
        sampler = ProbeSampler.start(registry, SLOW);
        hwm.observe(33);
        sampler.sampleNow();
        CountersReader r = registry.countersReader();
        long[] found = {-1};
        r.forEach((id, type, key, label) -> {
            if (type == ProbeRegistry.TYPE_RECENT_MAX && label.startsWith("lwkt_ipi_queue_depth_max{")) {
                found[0] = r.getCounterValue(id);
            }
        });
        assertEquals(33, found[0]);
    }

    @Test
    void oneSamplerPerRegistry() {
        sampler = ProbeSampler.start(registry, SLOW);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProbeSampler.start(registry, SLOW));
        assertTrue(e.getMessage().contains("already has a sampler"), e.getMessage());
        sampler.close();
        sampler = ProbeSampler.start(registry, SLOW);
    }

    @Test
    void aFailingGaugeIsCountedNotFatal() {
        registry.gauge("lwkt_port_depth", "depth", Labels.of("cpu", "0"), false, () -> {
            throw new IllegalStateException("broken gauge");
        });
        sampler = ProbeSampler.start(registry, SLOW);
        sampler.sampleNow();
        assertEquals(2, sampler.failures());
        assertEquals("broken gauge", sampler.firstFailure().getMessage());
    }

    @Test
    void theThreadSamplesOnItsOwnAndStopsOnClose() throws InterruptedException {
        sampler = ProbeSampler.start(registry, ProbeSampler.Options.defaults().withRate(1000));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (sampler.ticks() < 5) {
            assertTrue(System.nanoTime() < deadline, "the sampler thread took no samples in 20 s");
            Thread.sleep(5);
        }
        sampler.close();
        long after = sampler.ticks();
        Thread.sleep(50);
        assertEquals(after, sampler.ticks(), "no samples after close");
    }

    @Test
    void rejectsBadOptions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProbeSampler.Options.defaults().withInterval(Duration.ofNanos(10)));
        assertTrue(e.getMessage().contains("between 1ms and 10s"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ProbeSampler.Options.defaults().withRate(0));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
        assertFalse(assertThrows(IllegalArgumentException.class,
                () -> ProbeSampler.Options.defaults().withTimelinePoints(3)).getMessage().isBlank());
    }
}
