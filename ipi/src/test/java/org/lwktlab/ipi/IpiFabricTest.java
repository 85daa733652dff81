package org.lwktlab.ipi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.lwktlab.metrics.probe.ProbeSeries;

class IpiFabricTest {
    private static final long ONE_HOUR = TimeUnit.HOURS.toNanos(1);

    private static IpiFabric fabric(int n, int capacity) {
        return new IpiFabric(IpiFabric.Config.of(n).withRingCapacity(capacity));
    }

    /** Runs {@code body} on CPU {@code cpu} (in its IPI context) and waits for it. */
    private static void onCpu(IpiFabric f, int cpu, java.util.function.IntConsumer body) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> err = new AtomicReference<>();
        f.submit(cpu, c -> {
            try {
                body.accept(c);
            } catch (Throwable t) {
                err.set(t);
            } finally {
                done.countDown();
            }
        });
        assertTrue(done.await(60, TimeUnit.SECONDS), "cpu " + cpu + " did not run the task");
        if (err.get() != null) {
            throw new AssertionError(err.get());
        }
    }

    private static long counter(IpiFabric f, String name, String cpu, String kind) {
        for (ProbeSeries s : f.probes().series()) {
            if (s instanceof ProbeSeries.Counter c && s.id().name().equals(name)
                    && cpu.equals(s.id().labels().get("cpu"))
                    && (kind == null || kind.equals(s.id().labels().get("kind")))) {
                return c.value();
            }
        }
        throw new AssertionError("no counter " + name + " cpu=" + cpu);
    }

    @Test
    void perPairFifoWithTwoSendersIntoOneCpu() throws Exception {
        IpiFabric f = fabric(3, 16);
        long[] expected = new long[3]; // on cpu 1 only
        AtomicInteger bad = new AtomicInteger();
        AtomicLong seen = new AtomicLong();
        final int n = 100_000;
        IpiFunction check = (cpu, from, v) -> {
            int src = (Integer) from;
            if (expected[src] != v) {
                bad.incrementAndGet();
            }
            expected[src] = v + 1;
            seen.incrementAndGet();
        };
        try (TestCpus cpus = new TestCpus(f, TimeUnit.MILLISECONDS.toNanos(1))) {
            Thread a = new Thread(() -> uncheck(() -> onCpu(f, 0, c -> {
                for (int i = 0; i < n; i++) {
                    f.send(0, 1, check, 0, i);
                }
            })));
            Thread b = new Thread(() -> uncheck(() -> onCpu(f, 2, c -> {
                for (int i = 0; i < n; i++) {
                    f.send(2, 1, check, 2, i);
                }
            })));
            a.start();
            b.start();
            a.join();
            b.join();
            awaitValue(seen, 2L * n);
        }
        assertEquals(0, bad.get(), "entries ran out of order");
        assertEquals(n, expected[0]);
        assertEquals(n, expected[2]);
    }

    @Test
    void twoCpusFloodingEachOtherWithCapacityTwoBothFinish() throws Exception {
        IpiFabric f = fabric(2, 2);
        final int n = 200_000;
        AtomicLong got0 = new AtomicLong();
        AtomicLong got1 = new AtomicLong();
        IpiFunction inc = (cpu, a, v) -> (cpu == 0 ? got0 : got1).incrementAndGet();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (TestCpus cpus = new TestCpus(f, TimeUnit.MILLISECONDS.toNanos(1))) {
                CountDownLatch both = new CountDownLatch(2);
                for (int cpu = 0; cpu < 2; cpu++) {
                    final int me = cpu;
                    f.submit(me, c -> {
                        for (int i = 0; i < n; i++) {
                            f.send(me, 1 - me, inc, null, i);
                        }
                        both.countDown();
                    });
                }
                assertTrue(both.await(50, TimeUnit.SECONDS));
                awaitValue(got0, n);
                awaitValue(got1, n);
            }
        });
        assertTrue(counter(f, "lwkt_ipi_ring_full_waits_total", "0", null) > 0, "the ring never filled: test too weak");
    }

    /**
     * A sender waiting for room must not run queued submissions inside its wait: each of them may send
     * to the same full ring and wait in turn, nesting one wait per queued submission until the stack
     * overflows (the jcstress slab tests hit this with thousands queued). The test thread plays CPU 0,
     * a second thread CPU 1; each task sends one more entry than the ring holds, so the first one
     * always waits for room while the others are queued.
     */
    @Test
    void aSenderWaitingForRoomRunsNoQueuedSubmissionInsideItsWait() throws Exception {
        IpiFabric f = fabric(2, 2);
        final int tasks = 500;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger deepest = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        AtomicLong got = new AtomicLong();
        IpiFunction inc = (cpu, a, v) -> got.incrementAndGet();
        for (int i = 0; i < tasks; i++) {
            f.submit(0, cpu -> {
                deepest.accumulateAndGet(inside.incrementAndGet(), Math::max);
                for (int k = 0; k <= f.ringCapacity(); k++) {
                    f.send(0, 1, inc, null, k);
                }
                inside.decrementAndGet();
                ran.incrementAndGet();
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Thread cpu1 = new Thread(() -> {
            while (got.get() < (long) tasks * (f.ringCapacity() + 1) && System.nanoTime() < deadline) {
                if (f.process(1) == 0) {
                    Thread.onSpinWait();
                }
            }
        }, "cpu1");
        cpu1.start();
        while (ran.get() < tasks && System.nanoTime() < deadline) {
            f.process(0);
        }
        cpu1.join(TimeUnit.SECONDS.toMillis(60));
        assertEquals(1, deepest.get(), "a send waiting for room ran queued submissions inside its wait");
        assertEquals(tasks, ran.get(), "cpu 0 did not run every submission within 60 s");
        assertEquals((long) tasks * (f.ringCapacity() + 1), got.get(), "cpu 1 did not run every entry within 60 s");
    }

    @Test
    void allToAllSaturationWithTinyRingsCompletes() throws Exception {
        final int cpus = 4;
        final int per = 20_000;
        IpiFabric f = fabric(cpus, 4);
        AtomicLong got = new AtomicLong();
        IpiFunction inc = (cpu, a, v) -> got.incrementAndGet();
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            try (TestCpus t = new TestCpus(f, TimeUnit.MILLISECONDS.toNanos(1))) {
                for (int c = 0; c < cpus; c++) {
                    final int me = c;
                    f.submit(me, x -> {
                        for (int i = 0; i < per; i++) {
                            for (int to = 0; to < cpus; to++) {
                                if (to != me) {
                                    f.send(me, to, inc, null, i);
                                }
                            }
                        }
                    });
                }
                awaitValue(got, (long) cpus * (cpus - 1) * per);
            }
        });
    }

    @Test
    void noWakeUpIsLostWhenTargetsParkForAnHour() throws Exception {
        // Parked CPUs here wake only by signal: a single lost wake-up hangs the ping-pong.
        IpiFabric f = fabric(2, 16);
        final int rounds = 50_000;
        AtomicLong done = new AtomicLong();
        IpiFunction[] pp = new IpiFunction[1];
        pp[0] = (cpu, a, v) -> {
            if (v == rounds) {
                done.set(v);
            } else {
                f.send(cpu, 1 - cpu, pp[0], null, v + 1);
            }
        };
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (TestCpus t = new TestCpus(f, ONE_HOUR)) {
                f.submit(0, c -> f.send(0, 1, pp[0], null, 1));
                awaitValue(done, rounds);
            }
        });
        assertTrue(counter(f, "lwkt_ipi_wakeups_total", "0", null) + counter(f, "lwkt_ipi_wakeups_total", "1", null) > 0,
                "targets never parked: the test did not exercise the wake-up path");
    }

    @Test
    void passiveIpiWaitsForTheNextDrainAndSendsNoWakeUp() throws Exception {
        IpiFabric f = fabric(2, 64);
        AtomicLong order = new AtomicLong();
        AtomicLong passiveRanAt = new AtomicLong();
        AtomicLong activeRanAt = new AtomicLong();
        try (TestCpus t = new TestCpus(f, ONE_HOUR)) {
            t.awaitAllIdle();
            long wakeupsBefore = counter(f, "lwkt_ipi_wakeups_total", "0", null);
            onCpu(f, 0, c -> f.sendPassive(0, 1, (cpu, a, v) -> passiveRanAt.set(order.incrementAndGet()), null, 0));
            Thread.sleep(200);
            assertEquals(0, passiveRanAt.get(), "a passive IPI woke its parked target");
            assertEquals(wakeupsBefore, counter(f, "lwkt_ipi_wakeups_total", "0", null));
            assertEquals(1, counter(f, "lwkt_ipi_sent_total", "0", "passive"));
            // any later drain runs it, first (same ring, FIFO)
            onCpu(f, 0, c -> f.send(0, 1, (cpu, a, v) -> activeRanAt.set(order.incrementAndGet()), null, 0));
            awaitValue(activeRanAt, 2);
            assertEquals(1, passiveRanAt.get());
        }
    }

    @Test
    void passiveIpiEscalatesToActiveAtAQuarterFull() throws Exception {
        IpiFabric f = fabric(2, 8); // escalation at 2 queued
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        AtomicLong ran = new AtomicLong();
        try (TestCpus t = new TestCpus(f, ONE_HOUR)) {
            // keep cpu 1 busy inside one IPI so nothing it is sent drains yet
            f.submit(1, c -> {
                holding.countDown();
                uncheck(hold::await);
            });
            holding.await();
            onCpu(f, 0, c -> {
                for (int i = 0; i < 5; i++) {
                    f.sendPassive(0, 1, (cpu, a, v) -> ran.incrementAndGet(), null, i);
                }
            });
            assertEquals(2, counter(f, "lwkt_ipi_sent_total", "0", "passive"));
            assertEquals(3, counter(f, "lwkt_ipi_passive_escalated_total", "0", null));
            hold.countDown();
            awaitValue(ran, 5);
        }
    }

    @Test
    void passiveIpiToSelfIsIllegal() {
        IpiFabric f = fabric(2, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.sendPassive(1, 1, (c, a, v) -> { }, null, 0));
        assertTrue(e.getMessage().contains("oneself"), e.getMessage());
    }

    @Test
    void sendToSelfRunsBeforeReturning() {
        IpiFabric f = fabric(2, 8);
        int[] box = new int[1];
        long seq = f.send(1, 1, (c, a, v) -> box[0] = (int) v + c, null, 41);
        assertEquals(42, box[0]);
        assertEquals(0, seq);
    }

    @Test
    void waitIpiqReturnsAfterTheCallbackFinishedAndItsWritesAreVisible() throws Exception {
        IpiFabric f = fabric(2, 8);
        int[] plain = new int[1]; // written on cpu 1 with a plain store
        try (TestCpus t = new TestCpus(f, ONE_HOUR)) {
            for (int round = 1; round <= 2000; round++) {
                final int r = round;
                onCpu(f, 0, c -> {
                    long seq = f.send(0, 1, (cpu, a, v) -> {
                        Thread.onSpinWait();
                        plain[0] = (int) v;
                    }, null, r);
                    f.waitIpiq(0, 1, seq);
                    assertEquals(r, plain[0], "waitIpiq returned before the callback's write was visible");
                });
            }
        }
    }

    @Test
    void synchronizeIpiqsFlushesEverythingSentBefore() throws Exception {
        IpiFabric f = fabric(3, 4);
        AtomicLong got = new AtomicLong();
        try (TestCpus t = new TestCpus(f, ONE_HOUR)) {
            onCpu(f, 0, c -> {
                for (int i = 0; i < 100; i++) {
                    f.send(0, 1, (cpu, a, v) -> got.incrementAndGet(), null, i);
                    f.send(0, 2, (cpu, a, v) -> got.incrementAndGet(), null, i);
                }
                f.synchronizeIpiqs(0);
                assertEquals(200, got.get());
            });
        }
    }

    @Test
    void badCpuNumbersAreNamed() {
        IpiFabric f = fabric(2, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.send(0, 5, (c, a, v) -> { }, null, 0));
        assertTrue(e.getMessage().contains("cpu 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new IpiFabric(IpiFabric.Config.of(0)));
        assertThrows(IllegalArgumentException.class, () -> new IpiFabric(IpiFabric.Config.of(65)));
        assertThrows(IllegalArgumentException.class, () -> fabric(2, 3));
    }

    @Test
    void skippedWakeUpsAreCountedWhenTheTargetIsRunning() throws Exception {
        IpiFabric f = fabric(2, 1024);
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        try (TestCpus t = new TestCpus(f, ONE_HOUR)) {
            f.submit(1, c -> {
                holding.countDown();
                uncheck(hold::await);
            });
            holding.await();
            onCpu(f, 0, c -> {
                for (int i = 0; i < 100; i++) {
                    f.send(0, 1, (cpu, a, v) -> { }, null, i);
                    f.flushWakeups(0);
                }
            });
            hold.countDown();
        }
        assertEquals(100, counter(f, "lwkt_ipi_sent_total", "0", "active"));
        assertEquals(0, counter(f, "lwkt_ipi_wakeups_total", "0", null), "woke a CPU that was running");
        assertEquals(100, counter(f, "lwkt_ipi_wakeups_skipped_total", "0", null));
    }

    static void awaitValue(AtomicLong v, long want) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (v.get() < want) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited for " + want + ", got " + v.get());
            }
            Thread.sleep(1);
        }
        assertEquals(want, v.get());
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static void uncheck(ThrowingRunnable r) {
        try {
            r.run();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
