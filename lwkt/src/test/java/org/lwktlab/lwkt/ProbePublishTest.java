package org.lwktlab.lwkt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
