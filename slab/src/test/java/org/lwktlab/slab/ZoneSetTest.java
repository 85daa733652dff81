package org.lwktlab.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * The zone set on its own (the test thread is its only owner): frees — including the ones an IPI
 * applies — only park empty zones on the owner's list; only {@link ZoneSet#reclaim()}, which callers
 * run outside IPI context, gives zones back, and only above the high mark.
 */
class ZoneSetTest {
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void freesParkZonesAndOnlyReclaimReturnsThem(boolean cas) {
        SlabConfig c = SlabConfig.builder().arenaBytes(2L << 20).freeZones(1, 3).build();
        ProbeRegistry p = ProbeRegistry.inMemory();
        try (PagePool pool = new PagePool(c)) {
            ZoneSet set = new ZoneSet(0, pool, 9, cas, c, p.counter("t", "t", Labels.empty()),
                    p.counter("r", "r", Labels.empty()));
            int cls = SizeClasses.classOf(4096);
            int perZone = c.zoneBytes() / 4096;
            long[] hs = new long[perZone * 8];
            for (int i = 0; i < hs.length; i++) {
                hs[i] = set.alloc(cls);
            }
            assertEquals(8, set.zonesInUse());
            assertEquals(c.zones() - 8, pool.available());
            for (int i = 0; i < hs.length; i++) {
                assertEquals(ZoneSet.OK, set.freeHandle(hs[i], false, i % 2 == 0)); // head and tail inserts
            }
            assertEquals(ZoneSet.DOUBLE_FREE, set.freeHandle(hs[0], false, false));
            assertEquals(1, set.zonesInUse(), "the sole zone of the class stays");
            assertEquals(7, set.freeZonesHeld());
            assertEquals(c.zones() - 8, pool.available(), "no zone went back during the frees");
            assertEquals(6, set.reclaim(), "above the high mark (3): back down to the low mark (1)");
            assertEquals(1, set.freeZonesHeld());
            assertEquals(0, set.reclaim(), "at or below the high mark nothing goes back");
            assertEquals(c.zones() - 2, pool.available());
            // the parked zone is reused before the pool is touched, for any class
            long h = set.alloc(SizeClasses.classOf(100));
            assertEquals(0, set.freeZonesHeld());
            assertEquals(c.zones() - 2, pool.available());
            assertEquals(ZoneSet.OK, set.freeHandle(h, false, false));
            assertTrue(set.zonesTaken() == 8 && set.zonesReturned() == 6);
        }
    }
}
