package org.lwktlab.ipi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpiQueueTest {
    private static final IpiErrorHandler FAIL = (cpu, f, a, e) -> {
        throw new AssertionError("IPI function failed", e);
    };

    @Test
    void capacityMustBeAPowerOfTwoAtLeastTwo() {
        for (int bad : new int[] {0, 1, 3, 6, 100, -4}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new IpiQueue(bad));
            assertTrue(e.getMessage().contains("power of two"), e.getMessage());
        }
        assertEquals(2, new IpiQueue(2).capacity());
    }

    @Test
    void runsEntriesInOrderAcrossManyWraps() {
        IpiQueue q = new IpiQueue(4);
        List<Long> seen = new ArrayList<>();
        IpiFunction f = (cpu, a, v) -> seen.add(v);
        long next = 0;
        for (int round = 0; round < 1000; round++) {
            int k = 1 + round % 4;
            for (int i = 0; i < k; i++) {
                assertTrue(q.offer(f, null, next++));
            }
            q.drain(1, Integer.MAX_VALUE, FAIL);
        }
        assertEquals(next, seen.size());
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i, seen.get(i));
        }
    }

    @Test
    void fullRingRefusesWithoutOverwriting() {
        IpiQueue q = new IpiQueue(2);
        List<Object> seen = new ArrayList<>();
        IpiFunction f = (cpu, a, v) -> seen.add(a);
        assertTrue(q.offer(f, "a", 0));
        assertTrue(q.offer(f, "b", 0));
        assertFalse(q.offer(f, "c", 0));
        assertEquals(2, q.size());
        q.drain(0, 1, FAIL);
        assertTrue(q.offer(f, "c", 0));
        q.drain(0, 10, FAIL);
        assertEquals(List.of("a", "b", "c"), seen);
        assertTrue(q.isEmpty());
    }

    @Test
    void indicesKeepXindexBelowRindexBelowWindex() {
        IpiQueue q = new IpiQueue(8);
        IpiFunction check = (cpu, a, v) -> {
            IpiQueue self = (IpiQueue) a;
            // while the callback runs: rindex already advanced past it, xindex not yet
            assertTrue(self.completedIndex() < self.consumerIndex());
            assertTrue(self.consumerIndex() <= self.producerIndex());
        };
        for (int i = 0; i < 5; i++) {
            q.offer(check, q, i);
        }
        q.drain(0, 100, FAIL);
        assertEquals(5, q.completedIndex());
        assertEquals(5, q.consumerIndex());
    }

    @Test
    void nestedDrainContinuesWhereTheOuterOneIsAndCompletionStaysHonest() {
        IpiQueue q = new IpiQueue(8);
        List<String> order = new ArrayList<>();
        long[] xindexSeenInside = new long[1];
        IpiFunction leaf = (cpu, a, v) -> order.add("leaf" + v);
        IpiFunction nester = (cpu, a, v) -> {
            order.add("nester");
            // a sender waiting for room drains its inbound rings: here, the same ring, nested
            q.drain(cpu, 100, FAIL);
            xindexSeenInside[0] = q.completedIndex();
        };
        q.offer(nester, null, 0);
        q.offer(leaf, null, 1);
        q.offer(leaf, null, 2);
        int n = q.drain(0, 100, FAIL);
        assertEquals(List.of("nester", "leaf1", "leaf2"), order);
        assertEquals(1, n, "the outer drain ran one entry itself");
        // while the first entry was still running, completion must not have claimed it
        assertEquals(0, xindexSeenInside[0]);
        assertEquals(3, q.completedIndex());
    }

    @Test
    void drainsNestedDeeperThanTheRingRunEveryEntryExactlyOnce() {
        // each entry's function drains the same ring again (a sender waiting for room, whose
        // callback sends and waits again): nesting deeper than the capacity must never re-run an entry
        for (int capacity : new int[] {2, 4, 8}) {
            IpiQueue q = new IpiQueue(capacity);
            int[] runs = new int[capacity];
            IpiFunction nester = (cpu, a, v) -> {
                runs[(int) v]++;
                q.drain(cpu, 100, FAIL);
            };
            for (int i = 0; i < capacity; i++) {
                assertTrue(q.offer(nester, null, i));
            }
            q.drain(0, 100, FAIL);
            for (int i = 0; i < capacity; i++) {
                assertEquals(1, runs[i], "capacity " + capacity + ": entry " + i + " ran " + runs[i] + " times");
            }
            assertTrue(q.isEmpty());
            assertEquals(capacity, q.completedIndex());
            for (int i = 0; i < capacity; i++) {
                assertTrue(q.offer(nester, null, i), "capacity " + capacity + ": every slot is free again");
            }
        }
    }

    @Test
    void aThrowingFunctionIsReportedAndTheDrainGoesOn() {
        IpiQueue q = new IpiQueue(4);
        List<Throwable> errors = new ArrayList<>();
        List<Long> ran = new ArrayList<>();
        q.offer((c, a, v) -> {
            throw new IllegalStateException("boom");
        }, null, 0);
        q.offer((c, a, v) -> ran.add(v), null, 7);
        q.drain(0, 10, (cpu, f, a, e) -> errors.add(e));
        assertEquals(1, errors.size());
        assertEquals("boom", errors.getFirst().getMessage());
        assertEquals(List.of(7L), ran);
        assertEquals(2, q.completedIndex());
    }
}
