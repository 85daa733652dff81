package org.lwktlab.metrics.stat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lwktlab.metrics.probe.CountersFile;
import org.lwktlab.metrics.probe.HighWaterMark;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.Log2Histogram;
import org.lwktlab.metrics.probe.ProbeRegistry;
import org.lwktlab.metrics.sample.ProbeSampler;

/** A fake run: a mapped registry with the series the fabric and CPUs register, and its sampler. */
class StatTest {
    @Test
    void printsALinePerCpuFromTheNewestLiveRun(@TempDir Path tmp) throws Exception {
        CountersDirectory dir = new CountersDirectory(tmp);
        Path file = dir.fileFor(ProcessHandle.current().pid(), 1);
        ProbeRegistry r = ProbeRegistry.mapped(file, 1024, Labels.of("experiment", "fake", "design", "message"));
        AtomicCounter[] handled = new AtomicCounter[2];
        Log2Histogram[] perDrain = new Log2Histogram[2];
        HighWaterMark[] depth = new HighWaterMark[2];
        AtomicCounter[] skipped = new AtomicCounter[2];
        for (int c = 0; c < 2; c++) {
            Labels l = Labels.of("cpu", Integer.toString(c));
            handled[c] = r.counter("lwkt_cpu_handled_total", "handled", l);
            skipped[c] = r.counter("lwkt_ipi_wakeups_skipped_total", "skipped", l);
            perDrain[c] = r.histogram("lwkt_ipi_per_drain", "per drain", l);
            depth[c] = r.highWaterMark("lwkt_ipi_queue_depth_max", "max", l);
            r.functionCounter("lwkt_ipi_received_total", "received", l, false, () -> 0);
        }
        r.counter("lwkt_msg_sent_total", "external", Labels.of("cpu", "external"));
        ProbeSampler sampler = ProbeSampler.start(r, ProbeSampler.Options.defaults().withInterval(Duration.ofMillis(20)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Thread writer = Thread.ofPlatform().start(() -> {
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
                handled[0].increment();
                perDrain[0].record(4);
                depth[0].observe(17);
                skipped[1].increment();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            Stat stat = new Stat(new Stat.Options(null, dir, Duration.ofMillis(300), 3, Duration.ofSeconds(5)),
                    new PrintStream(bytes, true, StandardCharsets.UTF_8));
            assertEquals(0, stat.run());
        } finally {
            writer.interrupt();
            writer.join();
            sampler.close();
            r.close();
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.getFirst().contains("fake design=message, 2 cpus"), lines.getFirst());
        List<String> cpu0 = lines.stream().filter(l -> l.split("\\s+").length == 7 && l.split("\\s+")[1].equals("0")).toList();
        List<String> all = lines.stream().filter(l -> l.contains(" all ")).toList();
        assertEquals(3, cpu0.size(), String.join("\n", lines));
        assertEquals(3, all.size(), "a line for all CPUs too");
        String[] f = cpu0.getLast().trim().split("\\s+");
        assertTrue(!f[2].equals("0"), "cpu 0 handled messages: " + cpu0.getLast());
        assertEquals("17", f[4], "depth max of the trailing second: " + cpu0.getLast());
        // Every drain recorded 4; a histogram's sum may run one record ahead of its buckets when read
        // mid-update (Log2Histogram), so a one-second mean may read 4.02 — never far from 4.
        assertEquals(4.0, Double.parseDouble(f[5]), 0.1, "msgs/drain: " + cpu0.getLast());
        assertTrue(lines.stream().noneMatch(l -> l.contains("external")), "threads outside the kernel are not a CPU");
    }

    @Test
    void saysWhereItLookedWhenNoRunIsLive(@TempDir Path tmp) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int rc = new Stat(new Stat.Options(null, new CountersDirectory(tmp), Duration.ofSeconds(1), 1, Duration.ZERO),
                new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        assertEquals(2, rc);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains(tmp.toString()));
    }

    @Test
    void skipsAndRemovesFilesOfDeadWriters(@TempDir Path tmp) throws Exception {
        CountersDirectory dir = new CountersDirectory(tmp);
        Path live = dir.fileFor(ProcessHandle.current().pid(), 1);
        ProbeRegistry r = ProbeRegistry.mapped(live, 64, Labels.empty());
        Path stale = tmp.resolve("lwkt-999999999-1.counters");
        Files.copy(live, stale);
        try (var ch = java.nio.channels.FileChannel.open(stale, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer pid = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            pid.putLong(0, Long.MAX_VALUE); // no such process
            ch.write(pid, 24);
        }
        Files.writeString(tmp.resolve("lwkt-1-2.counters"), "not a counters file");
        try {
            assertEquals(live, dir.newestLive().orElseThrow().file());
            assertEquals(1, dir.removeStale());
            assertTrue(Files.exists(live) && !Files.exists(stale));
            try (CountersFile.Attached a = CountersFile.open(live)) {
                assertTrue(a.writerAlive());
            }
        } finally {
            r.close();
        }
    }
}
