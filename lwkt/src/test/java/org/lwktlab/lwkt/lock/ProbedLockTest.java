package org.lwktlab.lwkt.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;

class ProbedLockTest {
    static final class State {
        long value;
        int inside;
        int overlaps;
    }

    static final Section INCREMENT = (s, arg) -> {
        State st = (State) s;
        if (++st.inside != 1) {
            st.overlaps++;
        }
        long v = st.value;
        Thread.onSpinWait();
        st.value = v + arg;
        st.inside--;
        return st.value;
    };

    @ParameterizedTest
    @EnumSource(LockKind.class)
    void everyKindExcludesAndLosesNoUpdate(LockKind kind) throws Exception {
        ProbeRegistry probes = ProbeRegistry.inMemory();
        ProbedLock lock = ProbedLock.create(kind, "test", probes, Labels.empty());
        State st = new State();
        final int threads = 4;
        final int per = 20_000;
        CountDownLatch go = new CountDownLatch(1);
        Thread[] ts = new Thread[threads];
        ProbedLock.Handle[] hs = new ProbedLock.Handle[threads];
        for (int i = 0; i < threads; i++) {
            ProbedLock.Handle h = lock.handle();
            hs[i] = h;
            ts[i] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int j = 0; j < per; j++) {
                    h.locked(INCREMENT, st, 1);
                }
            });
            ts[i].start();
        }
        go.countDown();
        for (Thread t : ts) {
            t.join(60_000);
        }
        assertEquals(0, st.overlaps, kind + ": two sections ran at once");
        assertEquals((long) threads * per, st.value, kind + ": an update was lost");
        long acq = 0;
        for (ProbedLock.Handle h : hs) {
            acq += h.acquisitions();
        }
        assertEquals((long) threads * per, acq, kind + ": acquisitions miscounted");
    }

    @Test
    void theSectionsResultComesBack() {
        ProbedLock lock = ProbedLock.create(LockKind.FLAT_COMBINING, "fc", ProbeRegistry.inMemory(), Labels.empty());
        State st = new State();
        ProbedLock.Handle h = lock.handle();
        assertEquals(5, h.locked(INCREMENT, st, 5));
        assertEquals(12, h.locked(INCREMENT, st, 7));
    }

    @Test
    void unknownKindsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LockKind.parse("bakery"));
        assertTrue(e.getMessage().contains("mcs") && e.getMessage().contains("flat-combining"), e.getMessage());
        assertEquals(LockKind.REENTRANT_FAIR, LockKind.parse("Reentrant-Fair"));
    }
}
