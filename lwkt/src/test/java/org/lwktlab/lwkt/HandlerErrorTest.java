package org.lwktlab.lwkt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HandlerErrorTest {

    @Test
    void aThrowingHandlerIsRecordedRepliedWithAnErrorAndTheCpuGoesOn() {
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            AtomicInteger ok = new AtomicInteger();
            LwktThread t = k.spawn(1, "flaky", m -> {
                if (m.arg() % 10 == 0) {
                    throw new IllegalStateException("bad input " + m.arg());
                }
                ok.incrementAndGet();
                Lwkt.replymsg(m, Errno.OK);
            });
            int errors = 0;
            for (int i = 0; i < 100; i++) {
                Message m = new Message(WaitPort.get()).arg(i);
                int err = Lwkt.domsg(t.port(), m);
                if (i % 10 == 0) {
                    assertEquals(Errno.EHANDLER, err);
                    assertTrue(m.exception() instanceof IllegalStateException);
                    assertEquals("bad input " + i, m.exception().getMessage());
                    errors++;
                } else {
                    assertEquals(Errno.OK, err);
                }
            }
            assertEquals(90, ok.get());
            assertEquals(errors, k.errorCount());
            assertTrue(k.errors().getFirst().toString().contains("flaky"));
            ShutdownReport r = k.shutdown();
            assertEquals(10, r.handlerErrors());
            assertTrue(r.clean(), "errors were replied, so nothing is outstanding: " + r);
        }
    }

    @Test
    void aHandlerThatRepliedBeforeThrowingIsNotRepliedTwice() {
        try (Kernel k = Kernel.boot(Await.config(1).build())) {
            LwktThread t = k.spawn(0, "t", m -> {
                Lwkt.replymsg(m, Errno.OK);
                throw new IllegalStateException("after reply");
            });
            Message m = new Message(WaitPort.get());
            assertEquals(Errno.OK, Lwkt.domsg(t.port(), m));
            // domsg returns on the reply, which the handler sent before it threw: the CPU records the
            // exception a moment later, so wait for it (and then make sure it is counted once)
            Await.value("recorded handler errors", k::errorCount, 1);
            assertTrue(k.shutdown().clean());
            assertEquals(1, k.errorCount());
        }
    }
}
