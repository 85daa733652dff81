package org.lwktlab.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lwktlab.lwkt.Kernel;

/** Empty zones go back to the shared page pool with hysteresis: it happens, and what a CPU keeps is bounded. */
class ZoneReclaimTest {
    static final int LOW = 2;
    static final int HIGH = 4;

    @ParameterizedTest
    @ValueSource(strings = {"message", "message-cas", "mutex", "mutex-striped"})
    void freedZonesReturnToThePoolAndWhatIsKeptIsBounded(String design) {
        Kernel k = Kernel.boot(OnCpu.config(2).build());
        Slab s = Slab.create(design, k, SlabConfig.builder().arenaBytes(8L << 20).freeZones(LOW, HIGH).build());
        int total = s.config().zones();
        int perZone = s.config().zoneBytes() / 1024;
        int n = perZone * 40; // 40 zones of 1 KiB chunks
        for (int cycle = 0; cycle < 3; cycle++) {
            long[] hs = OnCpu.call(k, 0, () -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = s.alloc(1000);
                }
                return a;
            });
            SlabStats full = s.stats();
            assertTrue(full.zonesInUse() >= 40, "40 zones carved: " + full);
            // half freed by the owner, half remotely by the other CPU
            OnCpu.run(k, 0, () -> {
                for (int i = 0; i < n; i += 2) {
                    s.free(hs[i]);
                }
            });
            OnCpu.run(k, 1, () -> {
                for (int i = 1; i < n; i += 2) {
                    s.free(hs[i]);
                }
            });
            OnCpu.until("every free to be applied", () -> s.stats().bytesInUse() == 0);
            // a few more steps on both CPUs: end-of-step hooks return zones, sweeps pull remote lists.
            // Both in one wait: a step's hook retires the emptied zones (zonesInUse drops) and then trims
            // what its owner holds, and a reader may look between the two — the bound holds at the end
            // of every step, not inside one.
            final int heldBound = HIGH * (design.equals("mutex") ? 1 : 2);
            OnCpu.until("zones to be reclaimed, each owner keeping at most " + HIGH + " free zones", () -> {
                OnCpu.run(k, 0, () -> { });
                OnCpu.run(k, 1, () -> { });
                SlabStats now = s.stats();
                return now.zonesInUse() <= 2 && now.freeZonesHeld() <= heldBound;
            });
            SlabStats st = s.stats();
            assertTrue(st.freeZonesHeld() <= heldBound, "each owner keeps at most " + HIGH + " free zones: " + st);
            assertEquals(total, st.poolZones() + st.zonesInUse() + st.freeZonesHeld(), "every zone is accounted for: " + st);
            assertTrue(st.zonesReturned() >= (long) (cycle + 1) * (40 - 2 - HIGH * 2),
                    "zones went back to the pool in cycle " + cycle + ": " + st);
        }
        SlabStats end = s.stats();
        assertTrue(end.zonesTaken() - end.zonesReturned() <= 2 + HIGH * 2, "taken - returned is what is held: " + end);
        assertTrue(k.shutdown().clean());
        s.close();
    }
}
