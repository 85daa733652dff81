package org.lwktlab.netisr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.KernelConfig;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.WaitPort;

/**
 * Cancelling a blocking {@code recv} with {@code abortmsg}, in both designs: before the netisr ever sees
 * it, while it waits for data, after it completed, and racing the data round after round. Every
 * case: exactly one reply, the right outcome, no byte taken by a cancelled recv, and a clean shutdown
 * (no message left unreplied, no slab chunk leaked).
 */
class RecvCancelTest {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(20);

    private Kernel kernel;
    private NetStack stack;

    private NetStack boot(NetDesign d) {
        kernel = Kernel.boot(KernelConfig.builder(2).name("recv-cancel-" + d.id()).build());
        stack = NetStack.boot(kernel, NetConfig.builder(d).slabArenaMiB(16).build(), 1);
        return stack;
    }

    @AfterEach
    void down() {
        CleanShutdown.of(stack, kernel);
    }

    /** A connected pair: [0] the client's socket, [1] the server's. */
    private static Socket[] connect(BlockingSockets b, NetStack st, int port) {
        Socket l = b.socket(st.server());
        b.listen(l, port);
        Socket c = b.socket(st.client());
        b.connect(c, NetStack.SERVER_ADDR, port);
        return new Socket[] {c, b.accept(l)};
    }

    private static SockReq abortableRecv(Socket so, byte[] buf) {
        SockReq r = new SockReq().recv(so, buf, 0, buf.length);
        r.initAbortable(WaitPort.get());
        return r;
    }

    /** Waits (bounded, not timed) for {@code cond}; fails naming {@code what}. */
    private static void await(String what, BooleanSupplier cond) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("gave up waiting for " + what);
            }
            Thread.onSpinWait();
        }
    }

    /** {@code r} is replied (waited for, bounded) and its one outcome is the abort: EINTR, no byte. */
    private static void assertAborted(SockReq r) {
        await("the cancelled recv's reply", r::isDone);
        assertTrue(r.isAborted(), r.toString());
        assertEquals(Errno.EINTR, r.error());
        assertEquals(0, r.bytes());
    }

    private static long counter(Kernel k, String name) {
        return LossyWireTest.counter(k, name);
    }

    @ParameterizedTest
    @EnumSource(NetDesign.class)
    void cancelBeforeStartRepliesAbortedAndTheRecvTakesNoData(NetDesign d) throws Exception {
        NetStack st = boot(d);
        BlockingSockets b = new BlockingSockets(st, Duration.ofSeconds(20));
        Socket[] pair = connect(b, st, 90);
        Socket s = pair[1];
        // hold the CPU the recv goes to, so it is still queued (unhandled) when the abort is asked for
        int cpu = st.portFor(abortableRecv(s, new byte[1])).owner().id();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LwktThread busy = kernel.spawn(cpu, "busy", m -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            Lwkt.replymsg(m, Errno.OK);
        });
        Message hold = new Message(WaitPort.get());
        Lwkt.sendmsg(busy.port(), hold);
        assertTrue(running.await(20, TimeUnit.SECONDS), "the busy thread never ran");

        byte[] buf = new byte[16];
        SockReq r = abortableRecv(s, buf);
        st.submit(r);
        assertTrue(Lwkt.abortmsg(r), "the queued recv could not be aborted");
        release.countDown();
        assertAborted(r);
        assertEquals(0, counter(kernel, "lwkt_netisr_recv_aborted_total"), "the netisr handled a recv aborted before start");
        Lwkt.waitmsg(hold);

        nextRecvGetsEveryByte(b, pair, new byte[] {1, 2, 3, 4, 5});
    }

    @ParameterizedTest
    @EnumSource(NetDesign.class)
    void cancelWhileParkedFromAnLwktThreadOnAnotherCpu(NetDesign d) {
        NetStack st = boot(d);
        BlockingSockets b = new BlockingSockets(st, Duration.ofSeconds(20));
        Socket[] pair = connect(b, st, 91);
        Socket s = pair[1];
        byte[] buf = new byte[16];
        SockReq r = abortableRecv(s, buf);
        st.submit(r);
        await("the recv to park", () -> !r.isDone() && s.pcb != null && s.pcb.recvReq == r);

        int owner = st.portFor(r).owner().id();
        boolean[] asked = new boolean[1];
        LwktThread canceller = kernel.spawn(1 - owner, "canceller", m -> { // a workload thread, another CPU
            asked[0] = Lwkt.abortmsg(r);
            Lwkt.replymsg(m, Errno.OK);
        });
        Lwkt.domsg(canceller.port(), new Message(WaitPort.get()));
        assertTrue(asked[0], "abortmsg refused a parked recv");
        assertAborted(r);
        assertTrue(r.errorDetail().contains("cancelled"), r.errorDetail());
        assertEquals(1, counter(kernel, "lwkt_netisr_recv_aborted_total"));

        // the connection forgot the recv: data goes to the next one, and a second abort changes nothing
        assertFalse(Lwkt.abortmsg(r));
        nextRecvGetsEveryByte(b, pair, new byte[] {9, 8, 7});
    }

    /** The client sends {@code msg}; the server's next recvs get all of it (a cancelled recv took none); both close. */
    private static void nextRecvGetsEveryByte(BlockingSockets b, Socket[] pair, byte[] msg) {
        b.send(pair[0], msg, 0, msg.length);
        byte[] got = new byte[msg.length];
        b.recvFully(pair[1], got, 0, got.length);
        assertArrayEquals(msg, got, "the cancelled recv took data");
        b.close(pair[0]);
        b.close(pair[1]);
    }

    @ParameterizedTest
    @EnumSource(NetDesign.class)
    void cancelAfterReplyChangesNothing(NetDesign d) {
        NetStack st = boot(d);
        BlockingSockets b = new BlockingSockets(st, Duration.ofSeconds(20));
        Socket[] pair = connect(b, st, 92);
        byte[] msg = {4, 4, 4};
        b.send(pair[0], msg, 0, msg.length);
        byte[] buf = new byte[16];
        SockReq r = abortableRecv(pair[1], buf);
        st.submit(r);
        await("the recv's reply", r::isDone);
        assertFalse(Lwkt.abortmsg(r), "a replied recv cannot be aborted");
        assertFalse(r.isAborted());
        assertEquals(Errno.OK, r.error());
        assertTrue(r.bytes() >= 1 && r.bytes() <= 3, "bytes " + r.bytes());
        assertEquals(0, counter(kernel, "lwkt_netisr_recv_aborted_total"));
        b.close(pair[0]);
        b.close(pair[1]);
    }

    @Test
    void onlyARecvMayBeAbortable() {
        NetStack st = boot(NetDesign.MESSAGE);
        Socket so = st.socket(st.client());
        SockReq r = new SockReq().close(so);
        r.initAbortable(WaitPort.get());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> st.submit(r));
        assertTrue(e.getMessage().contains("only a recv can be cancelled"), e.getMessage());
        assertTrue(r.isDone(), "a refused call must stay unsent");
    }

    /**
     * A reader on cpu 0 submits a recv, a writer on cpu 1 sends the one byte it waits for, and a
     * canceller on cpu 0 aborts it — all at once, 300 rounds on one connection, in each design. Which
     * wins varies from round to round; every round: the reader gets exactly one reply, EINTR exactly when
     * aborted, and over all rounds every byte arrives once, in order (a cancelled recv took none).
     */
    @ParameterizedTest
    @EnumSource(NetDesign.class)
    void recvDataAndCancelRacingEndInOneOutcomeEveryRound(NetDesign d) {
        NetStack st = boot(d);
        BlockingSockets b = new BlockingSockets(st, Duration.ofSeconds(20));
        Socket[] pair = connect(b, st, 93);
        int rounds = 300;
        byte[] stream = new byte[rounds];
        int[] have = new int[1];
        AtomicInteger replies = new AtomicInteger(); // read by this thread while the reader counts
        int[] aborted = new int[1];
        byte[] buf = new byte[8];
        SockReq rd = new SockReq();
        LwktThread reader = LwktThread.builder("reader").handler(m -> {
            if (m == rd) { // the recv's one reply
                if (rd.isAborted() != (rd.error() == Errno.EINTR) || (rd.isAborted() && rd.bytes() != 0)) {
                    throw new AssertionError("aborted=" + rd.isAborted() + " error=" + Errno.name(rd.error()));
                }
                if (rd.isAborted()) {
                    aborted[0]++;
                } else {
                    System.arraycopy(buf, 0, stream, have[0], rd.bytes());
                    have[0] += rd.bytes();
                }
                replies.incrementAndGet();
                return;
            }
            rd.recv(pair[1], buf, 0, buf.length).initAbortable(Lwkt.curthread().port());
            st.submit(rd);
            Lwkt.replymsg(m, Errno.OK);
        }).spawn(kernel, 0);
        SockReq wr = new SockReq();
        byte[] one = new byte[1];
        LwktThread writer = LwktThread.builder("writer").handler(m -> {
            if (m == wr) {
                return;
            }
            one[0] = (byte) m.arg();
            wr.send(pair[0], one, 0, 1).init(Lwkt.curthread().port());
            st.submit(wr);
            Lwkt.replymsg(m, Errno.OK);
        }).spawn(kernel, 1);
        LwktThread canceller = kernel.spawn(0, "canceller", m -> {
            Lwkt.abortmsg(rd);
            Lwkt.replymsg(m, Errno.OK);
        });
        Message kickR = new Message();
        Message kickW = new Message();
        Message kickC = new Message();
        for (int i = 0; i < rounds; i++) {
            int round = i;
            for (Message k : new Message[] {kickR, kickW, kickC}) {
                k.init(WaitPort.get());
            }
            Lwkt.sendmsg(reader.port(), kickR);
            Lwkt.sendmsg(writer.port(), kickW.arg(round));
            Lwkt.sendmsg(canceller.port(), kickC);
            await("round " + round + ": the recv's reply and the send's", () -> replies.get() > round && wr.isDone()
                    && kickR.isDone() && kickW.isDone() && kickC.isDone());
            assertEquals(round + 1, replies.get(), "replies to the recv after round " + round);
        }
        while (have[0] < rounds) { // what cancelled recvs left in the buffer: nothing lost
            have[0] += b.recv(pair[1], stream, have[0], rounds - have[0]);
        }
        for (int i = 0; i < rounds; i++) {
            assertEquals((byte) i, stream[i], "byte " + i + " (aborted " + aborted[0] + " of " + rounds + " recvs)");
        }
        long parkedAborts = counter(kernel, "lwkt_netisr_recv_aborted_total"); // the rest were unlinked while queued
        assertTrue(parkedAborts <= aborted[0], parkedAborts + " aborts counted by the netisr, " + aborted[0] + " replied");
        b.close(pair[0]);
        b.close(pair[1]);
    }
}
