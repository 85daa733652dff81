package org.lwktlab.ipi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IdleStrategyTest {
    @Test
    void backoffSpinsThenYieldsThenParksWithDoublingPeriod() {
        IdleStrategy s = IdleStrategy.parse("backoff:2,1,1us,4us");
        assertEquals(IdleStrategy.Step.SPIN, s.next());
        assertEquals(IdleStrategy.Step.SPIN, s.next());
        assertEquals(IdleStrategy.Step.YIELD, s.next());
        assertEquals(IdleStrategy.Step.PARK, s.next());
        assertEquals(1_000, s.parkNanos());
        assertEquals(2_000, s.parkNanos());
        assertEquals(4_000, s.parkNanos());
        assertEquals(4_000, s.parkNanos());
        s.reset();
        assertEquals(IdleStrategy.Step.SPIN, s.next());
    }

    @Test
    void namedStrategiesParse() {
        assertEquals(IdleStrategy.Step.SPIN, IdleStrategy.parse("spin").next());
        assertEquals(IdleStrategy.Step.YIELD, IdleStrategy.parse("yield").next());
        IdleStrategy p = IdleStrategy.parse("park:2ms");
        assertEquals(IdleStrategy.Step.PARK, p.next());
        assertEquals(2_000_000, p.parkNanos());
        assertEquals(IdleStrategy.defaultStrategy().toString(), IdleStrategy.parse("backoff").toString());
    }

    @Test
    void badStrategiesAreExplained() {
        for (String bad : new String[] {"sleepy", "park:5", "backoff:1,2", "park:-1ms", "backoff:1,1,5ms,1ms"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdleStrategy.parse(bad));
            assertTrue(e.getMessage().contains("spin, yield, park"), e.getMessage());
        }
    }
}
