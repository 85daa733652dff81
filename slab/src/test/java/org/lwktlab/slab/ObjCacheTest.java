package org.lwktlab.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.lwktlab.lwkt.Kernel;

class ObjCacheTest {

    static final class Obj {
        boolean destroyed;
    }

    @Test
    void aCpuGetsBackWhatItPutWithoutConstructingAgain() {
        try (Kernel k = Kernel.boot(OnCpu.config(1).build())) {
            AtomicInteger made = new AtomicInteger();
            ObjCache<Obj> c = ObjCache.<Obj>builder("t", () -> {
                made.incrementAndGet();
                return new Obj();
            }).magazineCapacity(4).build(k);
            OnCpu.run(k, 0, () -> {
                for (int round = 0; round < 1000; round++) {
                    Obj a = c.get();
                    Obj b = c.get();
                    c.put(b);
                    c.put(a);
                    assertSame(a, c.get(), "LIFO: the last object put is the next one got");
                    c.put(a);
                }
            });
            assertEquals(2, made.get(), "two objects in use at most, so two constructed");
            ObjCache.Stats s = c.stats();
            assertEquals(3000, s.gets());
            assertEquals(3000, s.puts());
            assertEquals(2, s.live());
        }
    }

    @Test
    void magazinesFlowThroughTheDepotFromAPuttingCpuToAGettingCpu() {
        try (Kernel k = Kernel.boot(OnCpu.config(2).build())) {
            AtomicInteger made = new AtomicInteger();
            ObjCache<Obj> c = ObjCache.<Obj>builder("flow", () -> {
                made.incrementAndGet();
                return new Obj();
            }).magazineCapacity(8).build(k);
            int n = 64;
            List<Obj> got = OnCpu.call(k, 1, () -> {
                List<Obj> l = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    l.add(c.get());
                }
                return l;
            });
            assertEquals(n, made.get());
            OnCpu.run(k, 0, () -> got.forEach(c::put)); // cpu 0 fills magazines, trades full ones at the depot
            List<Obj> again = OnCpu.call(k, 1, () -> {
                List<Obj> l = new ArrayList<>();
                for (int i = 0; i < n - 16; i++) {
                    l.add(c.get());
                }
                return l;
            });
            assertEquals(n, made.get(), "cpu 1 got cpu 0's objects through full magazines, constructing none");
            IdentityHashMap<Obj, Boolean> seen = new IdentityHashMap<>();
            for (Obj o : again) {
                assertTrue(seen.put(o, true) == null, "an object was handed out twice");
            }
            assertTrue(c.stats().depotExchanges() >= 2, "magazines went through the depot: " + c.stats());
        }
    }

    @Test
    void theLimitMakesGetReturnNullAndAPutMakesRoomAgain() {
        try (Kernel k = Kernel.boot(OnCpu.config(1).build())) {
            ObjCache<Obj> c = ObjCache.<Obj>builder("limited", Obj::new).limit(3).magazineCapacity(2).build(k);
            OnCpu.run(k, 0, () -> {
                Obj a = c.get();
                assertNotNull(c.get());
                assertNotNull(c.get());
                assertNull(c.get(), "a fourth object exceeds the limit");
                c.put(a);
                assertSame(a, c.get());
            });
            assertEquals(1, c.stats().getsNull());
        }
    }

    @Test
    void outsideThreadsUseTheSlowPathAndCloseDestroysWhatIsCached() {
        Kernel k = Kernel.boot(OnCpu.config(2).build());
        ObjCache<Obj> c = ObjCache.<Obj>builder("outside", Obj::new).destructor(o -> o.destroyed = true)
                .magazineCapacity(4).build(k);
        List<Obj> l = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            l.add(c.get());
        }
        l.forEach(c::put);
        for (int i = 0; i < 20; i++) {
            assertTrue(l.contains(c.get()), "the outside slot reuses its objects");
        }
        l.forEach(c::put);
        assertThrows(IllegalStateException.class, c::close, "closing while the kernel runs is refused");
        k.shutdown();
        c.close();
        for (Obj o : l) {
            assertTrue(o.destroyed, "every cached object is destroyed at close");
        }
        assertEquals(0, c.stats().live());
        assertThrows(IllegalStateException.class, c::get);
    }

    @Test
    void badSettingsAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ObjCache.builder("x", Obj::new).magazineCapacity(0));
        assertTrue(e.getMessage().contains("magazine capacity"), e.getMessage());
        assertEquals(4, ObjCache.nominalCapacity(1, 4));
        assertEquals(128, ObjCache.nominalCapacity(1_000_000, 1));
        assertEquals(51, ObjCache.nominalCapacity(500, 4));
    }
}
