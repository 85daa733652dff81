package org.lwktlab.ipi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CpuSyncTest {
    private static final long TICK = TimeUnit.HOURS.toNanos(1);

    @Test
    void runsOnceOnEveryCpuInTheMaskAndReturnsOnlyAfterAll() throws Exception {
        IpiFabric f = new IpiFabric(IpiFabric.Config.of(4));
        try (TestCpus t = new TestCpus(f, TICK)) {
            for (int round = 0; round < 200; round++) {
                AtomicIntegerArray ran = new AtomicIntegerArray(4);
                long mask = 0b1011;
                new CpuSync(f).run(CpuSync.EXTERNAL, mask, (cpu, a, v) -> {
                    Thread.onSpinWait();
                    ran.incrementAndGet(cpu);
                }, null, 0);
                for (int c = 0; c < 4; c++) {
                    assertEquals(CpuMask.contains(mask, c) ? 1 : 0, ran.get(c), "cpu " + c + " round " + round);
                }
            }
        }
    }

    @Test
    void aCpuMasterInTheMaskRunsTheFunctionToo() throws Exception {
        IpiFabric f = new IpiFabric(IpiFabric.Config.of(3));
        AtomicIntegerArray ran = new AtomicIntegerArray(3);
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<String> failure = new AtomicReference<>();
        try (TestCpus t = new TestCpus(f, TICK)) {
            f.submit(1, cpu -> {
                new CpuSync(f).run(1, CpuMask.all(3), (c, a, v) -> ran.incrementAndGet(c), null, 0);
                for (int c = 0; c < 3; c++) {
                    if (ran.get(c) != 1) {
                        failure.set("cpu " + c + " ran " + ran.get(c) + " times before run() returned");
                    }
                }
                done.countDown();
            });
            assertTrue(done.await(30, TimeUnit.SECONDS));
        }
        assertEquals(null, failure.get());
    }

    @Test
    void targetsAreHeldBetweenInterlockAndDeinterlock() throws Exception {
        IpiFabric f = new IpiFabric(IpiFabric.Config.of(3));
        AtomicIntegerArray ran = new AtomicIntegerArray(3);
        AtomicIntegerArray otherWorkRan = new AtomicIntegerArray(3);
        try (TestCpus t = new TestCpus(f, TICK)) {
            CpuSync cs = new CpuSync(f);
            cs.interlock(CpuSync.EXTERNAL, 0b110, (c, a, v) -> ran.incrementAndGet(c), null, 0);
            for (int c = 0; c < 3; c++) {
                assertEquals(0, ran.get(c), "the function ran before deinterlock on cpu " + c);
            }
            assertTrue(f.signal(1).owner().isAlive());
            // a held CPU still drains IPIs (only threads stop), so a submission still runs
            CountDownLatch drained = new CountDownLatch(1);
            f.submit(2, c -> {
                otherWorkRan.incrementAndGet(2);
                drained.countDown();
            });
            assertTrue(drained.await(10, TimeUnit.SECONDS), "a held CPU stopped draining IPIs");
            cs.deinterlock();
            assertEquals(0, ran.get(0));
            assertEquals(1, ran.get(1));
            assertEquals(1, ran.get(2));
        }
    }

    @Test
    void concurrentMastersBothFinish() throws Exception {
        IpiFabric f = new IpiFabric(IpiFabric.Config.of(4));
        AtomicIntegerArray ran = new AtomicIntegerArray(4);
        final int rounds = 300;
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            try (TestCpus t = new TestCpus(f, TICK)) {
                CountDownLatch done = new CountDownLatch(3);
                for (int master : new int[] {0, 1}) {
                    f.submit(master, cpu -> {
                        CpuSync cs = new CpuSync(f);
                        for (int r = 0; r < rounds; r++) {
                            cs.run(cpu, CpuMask.all(4), (c, a, v) -> ran.incrementAndGet(c), null, 0);
                        }
                        done.countDown();
                    });
                }
                Thread ext = new Thread(() -> {
                    CpuSync cs = new CpuSync(f);
                    for (int r = 0; r < rounds; r++) {
                        cs.quick(CpuSync.EXTERNAL, CpuMask.all(4), (c, a, v) -> ran.incrementAndGet(c), null, 0);
                    }
                    done.countDown();
                });
                ext.start();
                assertTrue(done.await(80, TimeUnit.SECONDS), "a master never finished");
            }
        });
        for (int c = 0; c < 4; c++) {
            assertEquals(3 * rounds, ran.get(c), "cpu " + c);
        }
    }
}
