package org.lwktlab.netisr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The PCB hash, the timer wheel, the port bitmap and the settings, on their own. */
class StructuresTest {
    @Test
    void longTableAgreesWithHashMapUnderChurn() {
        LongTable<Object> t = new LongTable<>(4);
        Map<Long, Object> ref = new HashMap<>();
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 200_000; i++) {
            long k = r.nextInt(3000) * 0x1_0001_0001L; // clustered keys, like 4-tuples
            switch (r.nextInt(3)) {
                case 0 -> {
                    Object v = new Object();
                    Object had = t.putIfAbsent(k, v);
                    assertSame(ref.get(k), had);
                    ref.putIfAbsent(k, v);
                }
                case 1 -> {
                    Object v = ref.get(k);
                    assertEquals(v != null, t.remove(k, v == null ? new Object() : v));
                    ref.remove(k);
                }
                default -> assertSame(ref.get(k), t.get(k));
            }
        }
        assertEquals(ref.size(), t.size());
        for (Map.Entry<Long, Object> e : ref.entrySet()) {
            assertSame(e.getValue(), t.get(e.getKey()));
        }
        Object v = new Object();
        t.putIfAbsent(5, v);
        assertEquals(false, t.remove(5, new Object()), "remove only the value that is there");
        assertSame(v, t.get(5));
    }

    private static Tcpcb pcb(CalloutWheel w, int port) {
        return new Tcpcb(new Host(0, "h", 1, null, 1), null, port, 2, 80, 0, 0, w);
    }

    @Test
    void calloutWheelFiresEachArmedTimerOnceAtItsTick() {
        CalloutWheel w = new CalloutWheel(1);
        SplittableRandom r = new SplittableRandom(2);
        List<Callout> all = new ArrayList<>();
        Map<Callout, Long> due = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            Callout c = pcb(w, i).timers[Callout.REXMT];
            all.add(c);
            long at = 2 + r.nextInt(CalloutWheel.SLOTS * 3); // several rounds of the wheel
            w.arm(c, at);
            due.put(c, at);
        }
        for (int i = 0; i < 500; i++) { // cancel some, re-arm some
            Callout c = all.get(r.nextInt(all.size()));
            if (r.nextBoolean()) {
                w.cancel(c);
                due.remove(c);
            } else {
                long at = 2 + r.nextInt(CalloutWheel.SLOTS * 3);
                w.arm(c, at);
                due.put(c, at);
            }
        }
        assertEquals(due.size(), w.armed());
        Set<Callout> fired = new HashSet<>();
        for (long now = 2; now <= CalloutWheel.SLOTS * 3 + 2; now += 1 + r.nextInt(3)) {
            int n = w.collect(now);
            for (int i = 0; i < n; i++) {
                Callout c = w.due[i];
                assertTrue(w.dueAt[i] <= now && w.dueAt[i] > now - 4, "fired at " + now + " but due " + w.dueAt[i]);
                assertEquals(due.get(c), w.dueAt[i]);
                assertTrue(fired.add(c), "fired twice");
            }
        }
        assertEquals(due.keySet(), fired);
        assertEquals(0, w.armed());
    }

    @Test
    void calloutWheelCatchesUpAfterALongSleep() {
        CalloutWheel w = new CalloutWheel(1);
        Callout a = pcb(w, 1).timers[Callout.DELACK];
        Callout b = pcb(w, 2).timers[Callout.DELACK];
        w.arm(a, 10);
        w.arm(b, 10 + CalloutWheel.SLOTS * 4L);
        assertEquals(1, w.collect(1_000)); // slept through ~2 rounds: a is due, b (4 rounds on) is not
        assertSame(a, w.due[0]);
        assertEquals(1, w.collect(10 + CalloutWheel.SLOTS * 4L));
        assertSame(b, w.due[0]);
    }

    @Test
    void portSpaceBindsEachPortOnce() {
        PortSpace p = new PortSpace(2);
        assertTrue(p.bind(80));
        assertTrue(!p.bind(80));
        Set<Integer> got = new HashSet<>();
        for (int i = 0; i < PortSpace.EPHEMERAL_HI - PortSpace.EPHEMERAL_LO + 1; i++) {
            int port = p.bindEphemeral(i % 2);
            assertTrue(port >= PortSpace.EPHEMERAL_LO && got.add(port), "port " + port);
        }
        assertEquals(0, p.bindEphemeral(0), "the range is exhausted");
        p.release(50000);
        assertEquals(50000, p.bindEphemeral(1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.release(81));
        assertTrue(e.getMessage().contains("not bound"));
    }

    @Test
    void settingsAreValidatedByName() {
        NetConfig.Builder b = NetConfig.builder(NetDesign.MESSAGE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.set("windw", "1"));
        assertTrue(e.getMessage().contains("valid settings") && e.getMessage().contains("window"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NetConfig.builder(NetDesign.MESSAGE).set("loss", "1.5").build());
        assertTrue(e.getMessage().contains("'loss' must be a probability"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NetConfig.builder(NetDesign.MESSAGE).set("window", "100000").build());
        assertTrue(e.getMessage().contains("'window'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NetConfig.builder(NetDesign.MESSAGE).set("acks", "sometimes"));
        assertTrue(e.getMessage().contains("rollup or immediate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NetConfig.builder(NetDesign.MESSAGE).set("tick", "5"));
        assertTrue(e.getMessage().contains("500us, 1ms"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NetConfig.builder(NetDesign.MESSAGE).set("slab", "magic").build());
        assertTrue(e.getMessage().contains("message-cas"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NetDesign.parse("token"));
        assertTrue(e.getMessage().contains("message, mutex"), e.getMessage());
        NetConfig c = NetConfig.builder(NetDesign.MUTEX).set("tick", "500us").set("loss", "0.1").set("lock", "mcs").build();
        assertEquals(500_000, c.tickNanos());
        assertEquals(0.1, c.faults().loss());
        assertTrue(!c.ackRollup(), "mutex design sends ACKs at once by default");
        assertTrue(NetConfig.builder(NetDesign.MESSAGE).build().ackRollup(), "message design aggregates by default");
    }
}
