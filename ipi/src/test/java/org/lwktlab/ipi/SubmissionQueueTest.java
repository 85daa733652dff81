package org.lwktlab.ipi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SubmissionQueueTest {
    private static final IpiErrorHandler FAIL = (cpu, f, a, e) -> {
        throw new AssertionError(e);
    };

    @Test
    void failPolicyThrowsAndKeepsTheTaskOut() {
        SubmissionQueue q = new SubmissionQueue(3, 2, SubmissionQueue.FullPolicy.FAIL, new IpiSignal());
        List<Integer> ran = new ArrayList<>();
        q.submit(c -> ran.add(1));
        q.submit(c -> ran.add(2));
        SubmissionQueueFullException e = assertThrows(SubmissionQueueFullException.class, () -> q.submit(c -> ran.add(3)));
        assertTrue(e.getMessage().contains("cpu 3") && e.getMessage().contains("capacity 2"), e.getMessage());
        assertEquals(3, e.cpu());
        q.drain(3, 10, FAIL);
        assertEquals(List.of(1, 2), ran);
    }

    @Test
    void waitPolicyBlocksUntilThereIsRoomThenDeliversEverything() throws Exception {
        SubmissionQueue q = new SubmissionQueue(0, 2, SubmissionQueue.FullPolicy.WAIT, new IpiSignal());
        List<Integer> ran = new ArrayList<>();
        AtomicBoolean producerDone = new AtomicBoolean();
        Thread producer = new Thread(() -> {
            for (int i = 0; i < 100; i++) {
                final int v = i;
                q.submit(c -> ran.add(v));
            }
            producerDone.set(true);
        });
        producer.start();
        Thread.sleep(50);
        assertTrue(!producerDone.get(), "producer did not wait on a full queue");
        long deadline = System.currentTimeMillis() + 30_000;
        while (ran.size() < 100 && System.currentTimeMillis() < deadline) {
            q.drain(0, 1, FAIL);
            Thread.onSpinWait();
        }
        producer.join();
        assertEquals(100, ran.size());
        for (int i = 0; i < 100; i++) {
            assertEquals(i, ran.get(i));
        }
        assertTrue(q.fullWaits() >= 1);
    }

    @Test
    void closedQueueRefusesNewWorkButTakesCompletions() {
        SubmissionQueue q = new SubmissionQueue(1, 4, SubmissionQueue.FullPolicy.WAIT, new IpiSignal());
        q.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> q.submit(c -> { }));
        assertTrue(e.getMessage().contains("shutting down"), e.getMessage());
        AtomicBoolean ran = new AtomicBoolean();
        q.submitAlways(c -> ran.set(true));
        assertTrue(!q.quiescent());
        q.drain(1, 10, FAIL);
        assertTrue(ran.get());
        assertTrue(q.quiescent());
    }

    @Test
    void capacityIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> new SubmissionQueue(0, 3, SubmissionQueue.FullPolicy.WAIT, new IpiSignal()));
    }
}
