package org.lwktlab.lwkt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.lwktlab.ipi.IdleStrategy;

/**
 * The per-message probes are counted in CPU memory and published in a rollup (Cpu#publishProbes):
 * readers see every message once the CPU has idled a moment, exactly once, and a kernel can switch
 * its probes off and on while it runs without losing what it counted.
 */
class ProbePublishTest {
    private static final int N = 2_000;

    private static LwktThread echo(Kernel k) {
        return k.spawn(1, "echo", m -> Lwkt.replymsg(m, Errno.OK));
    }

    private static void send(LwktThread to, int n) {
        for (int i = 0; i < n; i++) {
            assertEquals(Errno.OK, Lwkt.domsg(to.port(), new Message(WaitPort.get())));
        }
    }

    @Test
    void aSpinningCpuPublishesOnceItHasIdledAWhile() {
        // spin: the CPU never parks, so only the quiet-step rollup can publish
        try (Kernel k = Kernel.boot(Await.config(2).idle(IdleStrategy.spin()).build())) {
            LwktThread echo = echo(k);
            send(echo, N);
            Await.value("echo's enqueue count", () -> Await.probe(k, "lwkt_port_enqueued_total", "echo"), N);
            Await.value("echo's dequeue count", () -> Await.probe(k, "lwkt_port_dequeued_total", "echo"), N);
            Await.value("handled on both CPUs", () -> Await.probe(k, "lwkt_cpu_handled_total", null), N);
            // the requests reached CPU 1 through its submission queue: drain passes, published by the IPI layer
            Await.until("a published drain pass", () -> Await.probe(k, "lwkt_ipi_drains_total", null) >= 1);
        }
    }

    @Test
    void switchingProbesOffAndOnCountsExactlyWhatRanWithThemOn() {
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            LwktThread echo = echo(k);
            send(echo, N);
            k.probes(false);
            assertEquals(false, k.probesEnabled());
            // switching off published what was counted so far: nothing waits for an idle moment
            assertEquals(N, Await.probe(k, "lwkt_port_enqueued_total", "echo"));
            send(echo, 3 * N);
            k.probes(true);
            send(echo, N);
            ShutdownReport r = k.shutdown();
            assertTrue(r.clean(), r.toString());
            assertEquals(2L * N, Await.probe(k, "lwkt_port_enqueued_total", "echo"));
            assertEquals(2L * N, Await.probe(k, "lwkt_port_dequeued_total", "echo"));
            assertEquals(2L * N, Await.probe(k, "lwkt_cpu_handled_total", null));
            assertEquals(5L * N, r.messagesSent(), "sends are always counted: shutdown's nothing-lost check needs them");
        }
    }

    @Test
    void aKernelBootedWithoutProbesCanTurnThemOn() {
        try (Kernel k = Kernel.boot(Await.config(2).probes(false).build())) {
            LwktThread echo = echo(k);
            send(echo, N);
            k.probes(true);
            send(echo, N);
            assertTrue(k.shutdown().clean());
            assertEquals(N, Await.probe(k, "lwkt_port_enqueued_total", "echo"));
            assertEquals(N, Await.probe(k, "lwkt_port_dequeued_total", "echo"));
        }
    }

    /**
     * Nothing is counted as a message is queued (ThreadPort#publishEnqueued derives the count): a port
     * whose thread cannot run — its token is held on another CPU — still shows its depth at once and
     * its enqueue count while the messages wait, and every count is exact once they have run.
     */
    @Test
    void aTokenBlockedPortShowsItsBacklogWhileItWaits() {
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            Token tok = k.token("held");
            AtomicBoolean holding = new AtomicBoolean();
            AtomicBoolean release = new AtomicBoolean();
            LwktThread holder = LwktThread.builder("holder").tokens(tok.exclusive()).handler(m -> {
                holding.set(true);
                long until = System.nanoTime() + 60_000_000_000L;
                while (!release.get() && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                Lwkt.replymsg(m, Errno.OK);
            }).spawn(k, 0);
            AtomicLong handled = new AtomicLong();
            LwktThread blocked = LwktThread.builder("blocked").tokens(tok.exclusive()).handler(m -> {
                handled.incrementAndGet();
                Lwkt.replymsg(m, Errno.OK);
            }).spawn(k, 1);
            Lwkt.sendmsg(holder.port(), new Message(NullPort.get()));
            Await.value("holder running", () -> holding.get() ? 1L : 0L, 1);
            for (int i = 0; i < N; i++) {
                Lwkt.sendmsg(blocked.port(), new Message(NullPort.get()));
            }
            Await.value("the blocked port's depth", () -> Await.gauge(k, "lwkt_port_depth", "blocked"), N);
            Await.value("the blocked port's enqueue count", () -> Await.probe(k, "lwkt_port_enqueued_total", "blocked"), N);
            assertEquals(0, Await.probe(k, "lwkt_port_dequeued_total", "blocked"));
            assertEquals(0, handled.get(), "a thread ran without its token");
            release.set(true);
            Await.value("handled", handled::get, N);
            assertTrue(k.shutdown().clean());
            assertEquals(N, Await.probe(k, "lwkt_port_enqueued_total", "blocked"));
            assertEquals(N, Await.probe(k, "lwkt_port_dequeued_total", "blocked"));
            assertEquals(0, Await.gauge(k, "lwkt_port_depth", "blocked"));
        }
    }
}
