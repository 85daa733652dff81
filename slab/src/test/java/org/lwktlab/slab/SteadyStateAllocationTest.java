package org.lwktlab.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.slab.workload.RemoteFreeWorkload;

/**
 * In steady state the per-CPU designs allocate no Java objects: the CPU threads' allocated-bytes
 * counters stay flat while hundreds of thousands of chunks are allocated, handed over and freed
 * remotely (the workload's own carriers are made once; remote-free batches come from an ObjCache).
 */
class SteadyStateAllocationTest {
    @ParameterizedTest
    @ValueSource(strings = {"message", "message-cas"})
    void cpuThreadsAllocateNothingInSteadyState(String design) {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported(), "JVM cannot count allocated bytes per thread");
        mx.setThreadAllocatedMemoryEnabled(true);
        Kernel k = Kernel.boot(OnCpu.config(2).latencySampleEvery(0).build());
        Slab s = Slab.create(design, k, SlabConfig.builder().arenaBytes(16L << 20).build());
        RemoteFreeWorkload w = new RemoteFreeWorkload(k, s, RemoteFreeWorkload.Config.defaults(), (c, n, lat) -> { });
        long[] tids = {OnCpu.call(k, 0, () -> Thread.currentThread().threadId()),
                OnCpu.call(k, 1, () -> Thread.currentThread().threadId())};
        w.start();
        OnCpu.until("warm-up (200k chunks)", () -> w.allocated() >= 200_000);
        long before = mx.getThreadAllocatedBytes(tids[0]) + mx.getThreadAllocatedBytes(tids[1]);
        long chunks0 = w.allocated();
        OnCpu.until("200k more chunks", () -> w.allocated() >= chunks0 + 200_000);
        long after = mx.getThreadAllocatedBytes(tids[0]) + mx.getThreadAllocatedBytes(tids[1]);
        long chunks = w.allocated() - chunks0;
        w.stop(30);
        assertEquals(List.of(), w.verify());
        double perChunk = (double) (after - before) / chunks;
        assertTrue(perChunk < 0.01, design + ": CPU threads allocated " + (after - before) + " B over " + chunks
                + " chunks (" + perChunk + " B/chunk)");
        assertTrue(k.shutdown().clean());
        s.close();
    }
}
