package org.lwktlab.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.api.Test;
import org.lwktlab.lwkt.Kernel;

class SlabBasicsTest {
    static final java.util.List<String> DESIGNS = Slab.DESIGNS;

    @Test
    void sizeClassesRunFrom16BytesTo8KiBWithAPageClass() {
        int[] c = Slab.sizeClasses();
        assertEquals(16, c[0]);
        assertEquals(8192, c[c.length - 1]);
        for (int i = 1; i < c.length; i++) {
            assertTrue(c[i] > c[i - 1]);
            assertTrue(c[i] <= c[i - 1] * 1.25 + 16, "waste stays under 25 %: " + c[i - 1] + " -> " + c[i]);
        }
        assertEquals(16, Slab.chunkSizeFor(1));
        assertEquals(64, Slab.chunkSizeFor(64));
        assertEquals(1536, Slab.chunkSizeFor(1500));
        assertEquals(4096, Slab.chunkSizeFor(4000));
        assertEquals(8192, Slab.chunkSizeFor(8192));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Slab.chunkSizeFor(8193));
        assertTrue(e.getMessage().contains("1..8192"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Slab.chunkSizeFor(0));
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SlabConfig.builder().zoneBytes(1 << 20).build());
        assertTrue(e.getMessage().contains("zoneBytes") && e.getMessage().contains("524288"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SlabConfig.builder().arenaBytes(100_000).build());
        assertTrue(e.getMessage().contains("arenaBytes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SlabConfig.builder().remoteBatch(0).build());
        assertTrue(e.getMessage().contains("remoteBatch"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SlabConfig.builder().freeZones(3, 1).build());
        assertTrue(e.getMessage().contains("freeZonesLow <= freeZonesHigh"), e.getMessage());
        assertEquals(1024, SlabConfig.defaults().zones());
    }

    @Test
    void anExhaustedArenaSaysHowToFixItAndTryAllocReturnsNull() {
        try (Kernel k = Kernel.boot(OnCpu.config(1).build())) {
            for (String d : DESIGNS) {
                Slab s = Slab.create(d, k, SlabConfig.builder().name("tiny-" + d).arenaBytes(64 << 10).jvmSlots(16).build());
                OnCpu.run(k, 0, () -> {
                    int n = 0;
                    while (s.tryAlloc(4096) != Slab.NULL) {
                        n++;
                    }
                    assertEquals(16, n, d + ": one 64 KiB zone holds 16 pages (jvm: 16 slots)");
                    SlabExhaustedException e = assertThrows(SlabExhaustedException.class, () -> s.alloc(4096));
                    assertTrue(e.getMessage().contains(d.equals("jvm") ? "jvmSlots" : "arenaBytes"), e.getMessage());
                });
            }
        }
    }

    @Test
    void anUnknownDesignNamesTheValidOnes() {
        try (Kernel k = Kernel.boot(OnCpu.config(1).build())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Slab.create("lockfree", k));
            assertTrue(e.getMessage().contains("message, message-cas, mutex, mutex-striped, jvm"), e.getMessage());
        }
    }

    @ParameterizedTest
    @FieldSource("DESIGNS")
    void allocWriteReadFreeOnACpu(String design) {
        Kernel k = Kernel.boot(OnCpu.config(2).build());
        Slab s = Slab.create(design, k, OnCpu.small().build());
        OnCpu.run(k, 0, () -> {
            Set<Long> live = new HashSet<>();
            long[] hs = new long[200];
            for (int i = 0; i < hs.length; i++) {
                int size = 8 + (i * 37) % 8185;
                hs[i] = s.alloc(size);
                assertNotEquals(Slab.NULL, hs[i]);
                assertTrue(live.add(hs[i]), "a live handle was handed out twice");
                assertTrue(s.usableSize(hs[i]) >= size);
                s.putLong(hs[i], 0, i);
                s.putLong(hs[i], size - 8, -i);
                s.putInt(hs[i], 8, i * 3);
                s.putByte(hs[i], 12, (byte) i);
            }
            for (int i = 0; i < hs.length; i++) {
                int size = 8 + (i * 37) % 8185;
                assertEquals(i, s.getLong(hs[i], 0), "chunk " + i + " was overwritten by another");
                assertEquals(-i, s.getLong(hs[i], size - 8));
                assertEquals(i * 3, s.getInt(hs[i], 8));
                assertEquals((byte) i, s.getByte(hs[i], 12));
                s.free(hs[i]);
            }
            byte[] in = "hello, slab".getBytes();
            long a = s.alloc(64);
            long b = s.alloc(64);
            s.copyFrom(in, 0, a, 3, in.length);
            s.copy(a, 3, b, 0, in.length);
            byte[] out = new byte[in.length];
            s.copyTo(b, 0, out, 0, out.length);
            assertEquals("hello, slab", new String(out));
            s.fill(b, 0, 64, (byte) 7);
            assertEquals(0x0707070707070707L, s.getLong(b, 56));
            assertEquals(s.usableSize(b), s.segment(b).byteSize());
            s.free(a);
            s.free(b);
        });
        SlabStats st = s.stats();
        assertEquals(202, st.allocs());
        assertEquals(202, st.frees());
        assertEquals(0, st.bytesInUse());
        assertTrue(k.shutdown().clean());
        s.close();
    }

    @ParameterizedTest
    @FieldSource("DESIGNS")
    void pagesArePageAligned(String design) {
        try (Kernel k = Kernel.boot(OnCpu.config(1).build())) {
            Slab s = Slab.create(design, k, OnCpu.small().build());
            OnCpu.run(k, 0, () -> {
                for (int i = 0; i < 40; i++) {
                    long p = s.allocPage();
                    assertEquals(Slab.PAGE_SIZE, s.usableSize(p));
                    if (!design.equals("jvm")) {
                        assertEquals(0, s.segment(p).address() % Slab.PAGE_SIZE, "page " + i + " is not page aligned");
                    }
                    s.free(p);
                }
            });
        }
    }

    @ParameterizedTest
    @FieldSource("DESIGNS")
    void outsideThreadsCanAllocAndFree(String design) {
        Kernel k = Kernel.boot(OnCpu.config(2).build());
        Slab s = Slab.create(design, k, OnCpu.small().build());
        long[] hs = new long[100];
        for (int i = 0; i < hs.length; i++) {
            hs[i] = s.alloc(100);
            s.putLong(hs[i], 0, i);
        }
        for (int i = 0; i < hs.length; i++) {
            assertEquals(i, s.getLong(hs[i], 0));
            s.free(hs[i]);
        }
        OnCpu.until("the owners to apply the outside frees", () -> s.stats().frees() == hs.length);
        assertEquals(0, s.stats().bytesInUse());
        assertTrue(k.shutdown().clean());
        s.close();
    }
}
