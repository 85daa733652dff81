package org.lwktlab.lab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PacerTest {
    @Test
    void theScheduleIsFixedByStartIntervalAndPhase() {
        Pacer p = new Pacer(1000.5, 250);
        p.start(10_000);
        assertEquals(10_250, p.peek());
        assertEquals(10_250, p.next());
        assertEquals(10_250 + 1001, p.next()); // round(1 × 1000.5)
        assertEquals(10_250 + 2001, p.next());
        assertEquals(3, p.taken());
        assertEquals(1e9 / 1000.5, p.rate(), 1e-6);
    }

    @Test
    void dueAndFirstAfterFollowTheClock() {
        Pacer p = new Pacer(100, 0);
        p.start(0);
        assertTrue(p.due(0));
        assertFalse(p.due(-1));
        assertEquals(6, p.firstAfter(0, 550)); // 0,100,...,500 are due at 550
        assertEquals(6, p.firstAfter(6, 550));
        assertEquals(9, p.firstAfter(9, 550), "never goes back");
        assertEquals(1, p.firstAfter(0, 0));
    }

    @Test
    void trialsSplitTheRateOverGeneratorsWithStaggeredPhases() {
        Trial t = new Trial("x", "d", 2, 1, 1, java.time.Duration.ZERO, java.time.Duration.ofSeconds(1), 4000,
                java.util.Map.of(), java.util.Map.of(), org.lwktlab.lwkt.KernelConfig.Pin.OFF,
                org.lwktlab.metrics.probe.ProbeRegistry.inMemory());
        Pacer a = t.pacer(0, 4);
        Pacer b = t.pacer(1, 4);
        assertEquals(1000, a.rate(), 1e-9);
        assertEquals(1_000_000, a.intervalNanos(), 1e-6);
        a.start(0);
        b.start(0);
        assertEquals(0, a.peek());
        assertEquals(250_000, b.peek());
        assertThrows(IllegalArgumentException.class, () -> t.pacer(4, 4));
        Trial closed = new Trial("x", "d", 2, 1, 1, java.time.Duration.ZERO, java.time.Duration.ofSeconds(1), 0,
                java.util.Map.of(), java.util.Map.of(), org.lwktlab.lwkt.KernelConfig.Pin.OFF,
                org.lwktlab.metrics.probe.ProbeRegistry.inMemory());
        assertThrows(IllegalStateException.class, () -> closed.pacer(0, 1));
    }

    @Test
    void awaitNextStopsWhenAsked() {
        Pacer p = Pacer.ofRate(0.001, 0); // one operation every 1000 s
        p.start(System.nanoTime());
        p.next();
        AtomicInteger asked = new AtomicInteger();
        assertEquals(Pacer.STOPPED, p.awaitNext(() -> asked.incrementAndGet() > 3));
    }

    @Test
    void kicksCoalesceWhileOneIsUntaken() throws Exception {
        Pacer p = Pacer.ofRate(20_000, 0); // an operation every 50 µs
        AtomicInteger kicks = new AtomicInteger();
        Arrivals a = Arrivals.start("test", List.of(p), List.of(kicks::incrementAndGet));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (kicks.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        Thread.sleep(50); // ~1000 operations fall due; the first kick is never taken
        assertEquals(1, kicks.get(), "no second kick while the first is untaken");
        p.kickTaken();
        deadline = System.nanoTime() + 5_000_000_000L;
        while (kicks.get() == 1 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        a.close();
        assertEquals(2, kicks.get(), "taking the kick lets the next one through");
    }

    @Test
    void aKickThatThrowsFailsClose() throws Exception {
        Pacer p = Pacer.ofRate(1000, 0);
        Arrivals a = Arrivals.start("test", List.of(p), List.of(() -> {
            throw new IllegalStateException("submission queue full");
        }));
        Thread.sleep(20);
        IllegalStateException e = assertThrows(IllegalStateException.class, a::close);
        assertTrue(e.getMessage().contains("submission queue full"), e.getMessage());
    }
}
