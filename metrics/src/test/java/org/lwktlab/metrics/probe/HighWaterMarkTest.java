package org.lwktlab.metrics.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HighWaterMarkTest {
    private final ProbeRegistry registry = ProbeRegistry.inMemory();
    private final HighWaterMark mark = registry.highWaterMark("lwkt_test_depth_max", "test", Labels.empty());

    @Test
    void reportsTheLargestValueOfEachWindow() {
        mark.observe(5);
        mark.observe(9);
        mark.observe(3);
        assertEquals(9, mark.readAndReset());
        mark.observe(2);
        assertEquals(2, mark.readAndReset());
        assertEquals(9, mark.allTimeMax());
    }

    @Test
    void anIdleOwnerDoesNotRepeatAnOldSpikeForever() {
        mark.observe(500);
        assertEquals(500, mark.readAndReset());
        // The owner goes idle: the spike may show in the adjacent window, never later.
        long next = mark.readAndReset();
        assertEquals(true, next == 0 || next == 500, "adjacent window reported " + next);
        assertEquals(0, mark.readAndReset());
        assertEquals(0, mark.readAndReset());
        assertEquals(0, mark.peekWindow());
        mark.observe(4);
        assertEquals(4, mark.peekWindow());
        assertEquals(4, mark.readAndReset());
        assertEquals(500, mark.allTimeMax());
    }

    @Test
    void aValueObservedJustBeforeTheResetIsNotLost() {
        // Owner read the epoch before the reset and stores after the reader's second read: it must be
        // reported by the next window, since its word carries the closing window's epoch.
        mark.observe(1);
        assertEquals(1, mark.readAndReset());
        mark.observe(7);                      // lands in the new window
        assertEquals(7, mark.readAndReset());
    }

    @Test
    void clampsHugeValuesInTheWindowButNotInTheAllTimeMaximum() {
        mark.observe(Long.MAX_VALUE);
        assertEquals(HighWaterMark.MAX_VALUE, mark.readAndReset());
        assertEquals(Long.MAX_VALUE, mark.allTimeMax());
    }

    @Test
    void negativeValuesCountAsZero() {
        mark.observe(-3);
        assertEquals(0, mark.readAndReset());
        assertEquals(0, mark.allTimeMax());
    }
}
