package org.lwktlab.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.ShutdownReport;
import org.lwktlab.slab.workload.RemoteFreeWorkload;

/**
 * Producer CPUs allocate, consumer CPUs free, outside threads allocate and free at the same time: every
 * chunk is freed exactly once — counts match, no chunk is live twice, no free is refused, nothing leaks.
 */
class ExactlyOnceTest {
    static Stream<Arguments> cases() {
        List<Arguments> l = new ArrayList<>();
        for (String d : Slab.DESIGNS) {
            l.add(Arguments.of(d, false));
            if (!d.equals("jvm")) {
                l.add(Arguments.of(d, true));
            }
        }
        return l.stream();
    }

    @ParameterizedTest(name = "{0} checked={1}")
    @MethodSource("cases")
    void everyChunkIsFreedExactlyOnceAcrossCpus(String design, boolean checked) throws Exception {
        Kernel k = Kernel.boot(OnCpu.config(4).latencySampleEvery(0).build());
        Slab s = Slab.create(design, k, SlabConfig.builder().arenaBytes(32L << 20).jvmSlots(1 << 16).checked(checked)
                .remoteBatch(48).freeZones(1, 3).build());
        AtomicLong consumed = new AtomicLong();
        RemoteFreeWorkload w = new RemoteFreeWorkload(k, s,
                new RemoteFreeWorkload.Config(2, 32, 4, RemoteFreeWorkload.DEFAULT_MIX, 11),
                (c, n, lat) -> consumed.addAndGet(n));
        long[] outside = new long[2];
        Thread[] ext = new Thread[2];
        for (int t = 0; t < ext.length; t++) {
            final int me = t;
            ext[t] = new Thread(() -> {
                for (int i = 0; i < 2_000; i++) {
                    long h = s.alloc(24 + i % 1000);
                    s.putLong(h, 0, i);
                    if (s.getLong(h, 0) != i) {
                        throw new AssertionError("outside chunk overwritten");
                    }
                    s.free(h);
                    outside[me]++;
                }
            }, "outside-" + t);
        }
        w.start();
        for (Thread t : ext) {
            t.start();
        }
        OnCpu.until("60k chunks to go through the producers", () -> w.allocated() >= 60_000);
        for (Thread t : ext) {
            t.join(30_000);
            assertTrue(!t.isAlive(), t.getName() + " did not finish");
        }
        w.stop(30);
        assertEquals(List.of(), w.verify());
        assertEquals(4_000, outside[0] + outside[1]);
        long expected = w.allocated() + 4_000;
        OnCpu.until("every free to reach its owner", () -> s.stats().frees() == expected);
        SlabStats st = s.stats();
        assertEquals(expected, st.allocs(), "slab allocations = workload's + outside threads'");
        assertEquals(0, st.misuses(), "no free was refused: " + s.misuses());
        assertEquals(0, st.bytesInUse());
        assertEquals(w.freed(), consumed.get());
        if (design.equals("message")) {
            assertTrue(st.remoteFreesPerIpi() >= 16, "frees per passive IPI " + st.remoteFreesPerIpi());
        }
        if (design.startsWith("message")) {
            assertTrue(st.remoteFrees() >= w.freed(), "consumers' frees were remote: " + st);
        }
        ShutdownReport r = k.shutdown();
        assertTrue(r.clean(), r.toString());
        if (s instanceof ArenaSlab a) {
            for (SlabZone z : a.pool.zones) {
                assertEquals(0, z.rcount(), z + " is still pinned");
            }
        }
        s.close();
    }
}
