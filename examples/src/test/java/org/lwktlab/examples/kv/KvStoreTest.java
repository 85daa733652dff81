package org.lwktlab.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.KernelConfig;
import org.lwktlab.lwkt.lock.LockKind;
import org.lwktlab.metrics.probe.ProbeRegistry;

class KvStoreTest {
    static KvStore store(String design) {
        return switch (design) {
            case "message" -> new MessageKvStore(Kernel.boot(KernelConfig.builder(3).pin(KernelConfig.Pin.OFF).build()));
            default -> new MutexKvStore(LockKind.parse(design), ProbeRegistry.inMemory());
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"message", "reentrant", "mcs", "flat-combining"})
    void getPutDeleteBehaveLikeAMap(String design) {
        KvStore kv = store(design);
        KvStore.Session s = kv.session();
        assertEquals(KvStore.MISSING, s.get(7));
        s.put(7, 70);
        s.put(8, 80);
        assertEquals(70, s.get(7));
        s.put(7, 71);
        assertEquals(71, s.get(7));
        assertTrue(s.delete(7));
        assertFalse(s.delete(7));
        assertEquals(KvStore.MISSING, s.get(7));
        assertEquals(80, s.get(8));
        assertThrows(IllegalArgumentException.class, () -> s.put(1, KvStore.MISSING));
        assertEquals(List.of(), kv.shutdown());
    }

    @ParameterizedTest
    @ValueSource(strings = {"message", "reentrant"})
    void concurrentWritersToDisjointKeysLoseNothing(String design) throws Exception {
        KvStore kv = store(design);
        final int threads = 3;
        final int per = 3000;
        Thread[] ts = new Thread[threads];
        AtomicReference<Throwable> err = new AtomicReference<>();
        for (int t = 0; t < threads; t++) {
            final int me = t;
            ts[t] = new Thread(() -> {
                try {
                    KvStore.Session s = kv.session();
                    for (int i = 0; i < per; i++) {
                        s.put((long) me * per + i, i * 10L + me);
                    }
                } catch (Throwable e) {
                    err.set(e);
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join(60_000);
        }
        assertEquals(null, err.get());
        KvStore.Session s = kv.session();
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < per; i++) {
                assertEquals(i * 10L + t, s.get((long) t * per + i));
            }
        }
        assertEquals(List.of(), kv.shutdown());
    }
}
