package org.lwktlab.netisr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.KernelConfig;

/** Two sockets: handshake, data both ways, and close, in each design. */
class SocketTest {
    private Kernel kernel;
    private NetStack stack;

    NetStack boot(NetDesign d) {
        return boot(NetConfig.builder(d).build());
    }

    NetStack boot(NetConfig cfg) {
        kernel = Kernel.boot(KernelConfig.builder(2).name("sock-" + cfg.design().id()).build());
        stack = NetStack.boot(kernel, cfg, 1);
        return stack;
    }

    @AfterEach
    void down() {
        CleanShutdown.of(stack, kernel);
    }

    @ParameterizedTest
    @EnumSource(NetDesign.class)
    void handshakeTransferAndClose(NetDesign d) {
        NetStack st = boot(d);
        BlockingSockets b = new BlockingSockets(st, Duration.ofSeconds(10));
        Socket l = b.socket(st.server());
        b.listen(l, 80);
        Socket c = b.socket(st.client());
        b.connect(c, NetStack.SERVER_ADDR, 80);
        Socket s = b.accept(l);
        assertEquals(80, s.localPort());
        assertEquals(c.localPort(), s.remotePort());

        // more than both socket buffers hold: the send completes only as the reader drains
        byte[] out = new byte[100_000];
        new SplittableRandom(5).nextBytes(out);
        byte[] in = new byte[out.length];
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> b.recvFully(s, in, 0, in.length));
        assertEquals(out.length, b.send(c, out, 0, out.length));
        reader.join();
        assertArrayEquals(out, in);

        byte[] reply = "pong".getBytes();
        b.send(s, reply, 0, reply.length);
        byte[] got = new byte[4];
        b.recvFully(c, got, 0, 4);
        assertArrayEquals(reply, got);

        b.close(c);
        assertEquals(0, b.recv(s, in, 0, 10), "the server reads end of stream after the client's FIN");
        b.close(s);
        b.close(l);
    }

    @ParameterizedTest
    @EnumSource(NetDesign.class)
    void pollingClockRetransmitsWithoutAnOutsideThread(NetDesign d) {
        // a lossy wire needs the retransmit timer; with clock=poll no thread outside the kernel drives it
        NetStack st = boot(NetConfig.builder(d).clock(NetConfig.Clock.POLL)
                .faults(new WireFaults(0.2, 0, 4, 0, 0, 9)).rtoTicks(5).build());
        BlockingSockets b = new BlockingSockets(st, Duration.ofSeconds(20));
        Socket l = b.socket(st.server());
        b.listen(l, 7);
        Socket c = b.socket(st.client());
        b.connect(c, NetStack.SERVER_ADDR, 7);
        Socket s = b.accept(l);
        byte[] out = new byte[30_000];
        new SplittableRandom(8).nextBytes(out);
        byte[] in = new byte[out.length];
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> b.recvFully(s, in, 0, in.length));
        b.send(c, out, 0, out.length);
        reader.join();
        assertArrayEquals(out, in);
        assertTrue(LossyWireTest.counter(kernel, "lwkt_netisr_rexmt_timeouts_total") > 0, "timers fired");
        b.close(c);
        b.close(s);
        b.close(l);
    }

    @ParameterizedTest
    @EnumSource(NetDesign.class)
    void aFullBacklogDropsSynsUntilAnAcceptMakesRoom(NetDesign d) throws Exception {
        NetStack st = boot(NetConfig.builder(d).backlog(2).rtoTicks(5).build());
        BlockingSockets b = new BlockingSockets(st, Duration.ofSeconds(20));
        Socket l = b.socket(st.server());
        b.listen(l, 8);
        Socket[] c = new Socket[3];
        for (int i = 0; i < 2; i++) {
            c[i] = b.socket(st.client());
            b.connect(c[i], NetStack.SERVER_ADDR, 8);
        }
        c[2] = b.socket(st.client());
        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> b.connect(c[2], NetStack.SERVER_ADDR, 8));
        LossyWireTest.await("the third SYN to overflow the backlog",
                () -> LossyWireTest.counter(kernel, "lwkt_netisr_listen_overflows_total") >= 2);
        assertTrue(!third.isDone(), "no place in the backlog: the third connect must still be waiting");
        Socket first = b.accept(l);
        third.get(20, java.util.concurrent.TimeUnit.SECONDS);
        Socket second = b.accept(l);
        Socket last = b.accept(l);
        for (Socket so : new Socket[] {c[0], c[1], c[2], first, second, last, l}) {
            b.close(so);
        }
    }
}
