package org.lwktlab.lwkt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Cancellation end to end on a small subsystem with both kinds of long request: a pipe whose
 * {@code read} blocks until data comes (parked on a {@link NotifyList}) and whose {@code longRead} works
 * in chunks, re-queuing itself, with a safe point per chunk. A caller — an outside thread or an LWKT
 * thread — cancels with {@code abortmsg}; the pipe's CPU stops the work and replies ABORTED; the caller
 * sees exactly one outcome.
 */
class CancellationTest {
    static final int READ = 1;
    static final int WRITE = 2;
    static final int LONG_READ = 3;

    /** A pipe request: {@code op}, and {@code arg} bytes (read, write) or chunks (long read). */
    static final class PipeReq extends Message {
        int op;

        PipeReq op(int op, long n) {
            this.op = op;
            arg(n);
            result(0);
            return this;
        }
    }

    /** The pipe: all its state belongs to the CPU its thread runs on. */
    static final class Pipe {
        final LwktThread td;
        final NotifyList readers = new NotifyList("pipe readers");
        long available;
        /** Chunks long reads have done (written by the pipe's CPU; read by tests once replies are in). */
        final AtomicLong chunks = new AtomicLong();

        Pipe(Kernel k, int cpu) {
            td = LwktThread.builder("pipe").handler(this::handle)
                    .onShutdown(t -> readers.replyAll(Errno.ESHUTDOWN)).spawn(k, cpu);
        }

        private void handle(Message m) {
            PipeReq r = (PipeReq) m;
            switch (r.op) {
                case READ -> {
                    if (available > 0) {
                        deliver(r);
                    } else {
                        readers.park(r); // a blocking recv: cancellable while parked
                    }
                }
                case WRITE -> {
                    available += r.arg();
                    Lwkt.replymsg(r, Errno.OK);
                    Message w;
                    while (available > 0 && (w = readers.poll()) != null) {
                        deliver((PipeReq) w);
                    }
                }
                case LONG_READ -> {
                    if (Lwkt.abortIfRequested(r)) { // the safe point between chunks
                        return;
                    }
                    chunks.incrementAndGet();
                    r.result(r.result() + 1);
                    if (r.result() == r.arg()) {
                        Lwkt.replymsg(r, Errno.OK);
                    } else {
                        Lwkt.forwardmsg(td.port(), r); // the next chunk, after whatever else is queued
                    }
                }
                default -> throw new IllegalArgumentException("pipe op " + r.op);
            }
        }

        private void deliver(PipeReq r) {
            long n = Math.min(available, r.arg());
            available -= n;
            r.result(n);
            Lwkt.replymsg(r, Errno.OK);
        }
    }

    private static PipeReq read(long n) {
        PipeReq r = new PipeReq().op(READ, n);
        r.initAbortable(WaitPort.get());
        return r;
    }

    @Test
    void cancelBeforeStartTheQueuedReadIsNeverHandled() throws Exception {
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            Pipe pipe = new Pipe(k, 1);
            CountDownLatch release = new CountDownLatch(1);
            LwktThread busy = k.spawn(1, "busy", m -> { // keeps the pipe's CPU from reaching the request
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                Lwkt.replymsg(m, Errno.OK);
            });
            Message hold = new Message(WaitPort.get());
            Lwkt.sendmsg(busy.port(), hold);
            Thread.sleep(20);
            PipeReq r = read(10);
            Lwkt.sendmsg(pipe.td.port(), r);
            assertTrue(Lwkt.abortmsg(r));
            release.countDown();
            assertEquals(Errno.EINTR, Lwkt.waitmsg(r));
            assertTrue(r.isAborted());
            Lwkt.waitmsg(hold);
            PipeReq write = new PipeReq().op(WRITE, 5);
            write.init(WaitPort.get());
            Lwkt.domsg(pipe.td.port(), write);
            PipeReq next = read(10);
            assertEquals(Errno.OK, Lwkt.domsg(pipe.td.port(), next));
            assertEquals(5, next.result(), "the cancelled read took data");
            assertTrue(k.shutdown().clean());
        }
    }

    @Test
    void cancelDuringABlockingReadFromAnotherThread() throws Exception {
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            Pipe pipe = new Pipe(k, 1);
            PipeReq r = read(10);
            int[] outcome = {-1};
            Thread reader = new Thread(() -> outcome[0] = Lwkt.domsg(pipe.td.port(), r), "reader");
            reader.start();
            Await.until("the read to park", () -> r.flags() == (Message.ABORTABLE | Message.SYNC));
            assertTrue(Lwkt.abortmsg(r), "a workload thread cancels the reader's recv");
            reader.join(10_000);
            assertFalse(reader.isAlive());
            assertEquals(Errno.EINTR, outcome[0]);
            assertTrue(r.isAborted() && r.isDone());
            assertEquals(0, r.result());
            // the pipe forgot the reader: new data waits for the next read
            PipeReq write = new PipeReq().op(WRITE, 3);
            write.init(WaitPort.get());
            Lwkt.domsg(pipe.td.port(), write);
            PipeReq next = read(10);
            assertEquals(Errno.OK, Lwkt.domsg(pipe.td.port(), next));
            assertEquals(3, next.result());
            assertTrue(k.shutdown().clean());
        }
    }

    @Test
    void cancelDuringALongReadStopsAtTheNextChunk() {
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            Pipe pipe = new Pipe(k, 1);
            PipeReq r = new PipeReq().op(LONG_READ, 50_000_000);
            r.initAbortable(WaitPort.get());
            Lwkt.sendmsg(pipe.td.port(), r);
            Await.until("the long read to be under way", () -> pipe.chunks.get() > 1000);
            assertTrue(Lwkt.abortmsg(r));
            assertEquals(Errno.EINTR, Lwkt.waitmsg(r));
            assertTrue(r.isAborted());
            long done = pipe.chunks.get();
            assertTrue(done < 50_000_000, "the read ran to the end");
            assertEquals(done, r.result(), "chunks after the abort ran");
            assertTrue(k.shutdown().clean());
            assertEquals(done, pipe.chunks.get());
        }
    }

    @Test
    void cancelAfterReplyChangesNothing() {
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            Pipe pipe = new Pipe(k, 1);
            PipeReq write = new PipeReq().op(WRITE, 4);
            write.init(WaitPort.get());
            Lwkt.domsg(pipe.td.port(), write);
            PipeReq r = read(10);
            assertEquals(Errno.OK, Lwkt.domsg(pipe.td.port(), r));
            assertFalse(Lwkt.abortmsg(r), "a replied request cannot be aborted");
            assertFalse(r.isAborted());
            assertEquals(4, r.result());
            assertTrue(k.shutdown().clean());
        }
    }

    @Test
    void aTimedWaitAbortsWhatDidNotFinishInTime() {
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            Pipe pipe = new Pipe(k, 1);
            PipeReq r = read(10);
            assertEquals(Errno.EINTR, Lwkt.domsg(pipe.td.port(), r, Duration.ofMillis(30)));
            assertTrue(r.isAborted(), "the timeout did not cancel the read");
            PipeReq write = new PipeReq().op(WRITE, 2);
            write.init(WaitPort.get());
            Lwkt.domsg(pipe.td.port(), write);
            PipeReq fast = read(10);
            assertEquals(Errno.OK, Lwkt.domsg(pipe.td.port(), fast, Duration.ofSeconds(10)));
            assertFalse(fast.isAborted());
            assertEquals(2, fast.result());
            assertTrue(k.shutdown().clean());
        }
    }

    @Test
    void aParkedReadIsRepliedAtShutdown() {
        Kernel k = Kernel.boot(Await.config(2).build());
        Pipe pipe = new Pipe(k, 1);
        PipeReq r = read(10);
        Lwkt.sendmsg(pipe.td.port(), r);
        Await.until("the read to park", () -> r.flags() == Message.ABORTABLE);
        assertTrue(k.shutdown().clean());
        assertEquals(Errno.ESHUTDOWN, r.error());
    }

    /**
     * A reader on cpu 0 reads; a writer on cpu 1 writes; a canceller on cpu 2 aborts the read — all racing,
     * over 1,000 schedules. Every schedule: the reader sees one outcome, and no byte is lost or doubled.
     */
    @Test
    void readWriteAndCancelRacingEndInOneOutcomeOverAThousandSchedules() {
        int[] seen = new int[2]; // [0] schedules where the read was aborted, [1] where it got data
        SeedSweep.Result r = SeedSweep.over(() -> KernelConfig.builder(3).probeCapacity(1024)).seeds(1, 1_000).run(k -> {
            Pipe pipe = new Pipe(k, 0);
            PipeReq rd = read(8);
            int[] outcomes = new int[1];
            LwktThread readerTd = LwktThread.builder("reader").handler(m -> {
                if (m == rd) {
                    outcomes[0]++;
                    return;
                }
                rd.initAbortable(Lwkt.curthread().port());
                Lwkt.sendmsg(pipe.td.port(), rd);
                Lwkt.replymsg(m, Errno.OK);
            }).spawn(k, 0);
            PipeReq wr = new PipeReq().op(WRITE, 5);
            LwktThread writer = k.spawn(1, "writer", m -> {
                wr.init(NullPort.get());
                Lwkt.sendmsg(pipe.td.port(), wr);
                Lwkt.replymsg(m, Errno.OK);
            });
            LwktThread canceller = k.spawn(2, "canceller", m -> {
                Lwkt.abortmsg(rd);
                Lwkt.replymsg(m, Errno.OK);
            });
            for (LwktThread t : new LwktThread[] {readerTd, writer, canceller}) {
                Lwkt.sendmsg(t.port(), new Message(NullPort.get()));
            }
            k.simulation().runUntilQuiescent();
            if (outcomes[0] != 1) {
                throw new AssertionError("the reader saw " + outcomes[0] + " outcomes");
            }
            long got = rd.isAborted() ? 0 : rd.result();
            if (rd.isAborted() != (rd.error() == Errno.EINTR) || got + pipe.available != 5) {
                throw new AssertionError("aborted=" + rd.isAborted() + " error=" + Errno.name(rd.error()) + " got=" + got
                        + " left=" + pipe.available);
            }
            if (!pipe.readers.isEmpty()) {
                throw new AssertionError("a reader is still parked: " + pipe.readers);
            }
            seen[rd.isAborted() ? 0 : 1]++;
        });
        assertTrue(r.passed(), r.toString());
        assertTrue(seen[0] > 50 && seen[1] > 50, "the schedules did not explore both outcomes: aborted " + seen[0]
                + ", read " + seen[1]);
    }

    /**
     * An abort that was requested while a message was in flight but arrives at the owner only after the
     * message was replied and sent again must not cancel that next send: over 1,000 schedules of a
     * client re-sending as soon as it has the reply and its canceller's answer, the second send always
     * completes normally.
     */
    @Test
    void aStaleAbortNeverCancelsTheMessagesNextSend() {
        int[] firstAborted = new int[1];
        SeedSweep.Result r = SeedSweep.over(() -> KernelConfig.builder(3)).seeds(1, 1_000).run(k -> {
            LwktThread echo = k.spawn(0, "echo", m -> Lwkt.replymsg(m, Errno.OK));
            Message req = new Message();
            LwktThread canceller = k.spawn(1, "canceller", c -> {
                Lwkt.abortmsg(req);
                Lwkt.replymsg(c, Errno.OK);
            });
            Message cancel = new Message();
            int[] pending = new int[1];
            int[] lives = new int[1];
            boolean[] aborted = new boolean[2];
            LwktThread client = LwktThread.builder("client").handler(m -> {
                if (m != req && m != cancel) { // the kick-off: send, and ask for the cancel at once
                    pending[0] = 2;
                    Lwkt.sendmsg(echo.port(), req);
                    Lwkt.sendmsg(canceller.port(), cancel);
                    Lwkt.replymsg(m, Errno.OK);
                    return;
                }
                if (--pending[0] > 0) {
                    return;
                }
                aborted[lives[0]++] = req.isAborted();
                if (lives[0] == 1) { // the message's next life: nobody asks to cancel it
                    pending[0] = 1;
                    Lwkt.sendmsg(echo.port(), req);
                }
            }).spawn(k, 2);
            req.initAbortable(client.port());
            cancel.init(client.port());
            Lwkt.sendmsg(client.port(), new Message(NullPort.get()));
            k.simulation().runUntilQuiescent();
            if (lives[0] != 2) {
                throw new AssertionError("the client saw " + lives[0] + " of 2 replies");
            }
            if (aborted[1]) {
                throw new AssertionError("an abort meant for the first send cancelled the second");
            }
            if (aborted[0]) {
                firstAborted[0]++;
            }
        });
        assertTrue(r.passed(), r.toString());
        assertTrue(firstAborted[0] > 50 && firstAborted[0] < 950, "the schedules did not explore both outcomes of"
                + " the first send: aborted in " + firstAborted[0] + " of 1000");
    }

    @Test
    void aNotifyListRefusesWhatIsNotAHeldRequest() {
        NotifyList l = new NotifyList("t");
        Message done = new Message(WaitPort.get());
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> l.park(done));
        assertTrue(e.getMessage().contains("not a request being handled"), e.getMessage());
        assertNull(l.poll());
        assertTrue(l.isEmpty());
    }
}
