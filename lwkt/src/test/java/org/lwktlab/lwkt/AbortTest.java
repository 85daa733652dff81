package org.lwktlab.lwkt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AbortTest {

    @Test
    void abortRacingReplyEndsInExactlyOneOutcome100kTimes() {
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            AtomicLong normal = new AtomicLong();
            AtomicLong abortedAtSafePoint = new AtomicLong();
            LwktThread server = k.spawn(1, "server", m -> {
                // a safe point: the handler honours a pending abort, else replies normally
                if (m.abortRequested()) {
                    abortedAtSafePoint.incrementAndGet();
                    Lwkt.replyAborted(m);
                } else {
                    normal.incrementAndGet();
                    Lwkt.replymsg(m, Errno.OK);
                }
            });
            Message m = new Message();
            final int n = 100_000;
            int sawNormal = 0;
            int sawAborted = 0;
            int requested = 0;
            for (int i = 0; i < n; i++) {
                m.initAbortable(WaitPort.get());
                Lwkt.sendmsg(server.port(), m);
                if ((i & 1) == 0) {
                    Thread.onSpinWait();
                }
                if (Lwkt.abortmsg(m)) {
                    requested++;
                }
                int err = Lwkt.waitmsg(m);
                assertTrue(m.isDone() && m.isReply());
                if (m.isAborted()) {
                    assertEquals(Errno.EINTR, err);
                    sawAborted++;
                } else {
                    assertEquals(Errno.OK, err);
                    sawNormal++;
                }
            }
            assertEquals(n, sawNormal + sawAborted);
            assertEquals(0, k.errorCount(), "a message was replied twice or a handler failed: " + k.errors());
            assertEquals(sawNormal, normal.get(), "the originator saw a different outcome than was issued");
            assertTrue(requested >= sawAborted);
            ShutdownReport r = k.shutdown();
            assertEquals(0, r.outstanding(), r.toString());
        }
    }

    @Test
    void abortFromACpuRacingReplyOnAnotherCpu() {
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            LwktThread server = k.spawn(1, "server", m -> {
                if (m.abortRequested()) {
                    Lwkt.replyAborted(m);
                } else {
                    Lwkt.replymsg(m, Errno.OK);
                }
            });
            final int n = 50_000;
            AtomicInteger outcomes = new AtomicInteger();
            AtomicInteger bad = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(1);
            Message[] box = new Message[1];
            LwktThread client = LwktThread.builder("client").handler(m -> { }).spawn(k, 0);
            CallbackPort cb = client.callbackPort("cb", r -> {
                boolean ok = r.isDone() && r.isReply()
                        && (r.isAborted() ? r.error() == Errno.EINTR : r.error() == Errno.OK);
                if (!ok) {
                    bad.incrementAndGet();
                }
                if (outcomes.incrementAndGet() == n) {
                    done.countDown();
                } else {
                    r.initAbortable(r.replyPort());
                    Lwkt.sendmsg(server.port(), r);
                    Lwkt.abortmsg(r);
                }
            });
            box[0] = new Message().initAbortable(cb);
            k.fabric().submit(0, c -> {
                Lwkt.sendmsg(server.port(), box[0]);
                Lwkt.abortmsg(box[0]);
            });
            try {
                assertTrue(done.await(60, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertEquals(0, bad.get());
            assertEquals(0, k.errorCount(), String.valueOf(k.errors()));
        }
    }

    @Test
    void cancelBeforeStartUnlinksAQueuedMessage() throws Exception {
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger handled = new AtomicInteger();
            // cpu 1 is kept busy by one thread while the victim waits at another thread's port
            LwktThread blocker = k.spawn(1, "blocker", m -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                Lwkt.replymsg(m, Errno.OK);
            });
            LwktThread target = k.spawn(1, "target", m -> {
                handled.incrementAndGet();
                Lwkt.replymsg(m, Errno.OK);
            });
            Message b = new Message(WaitPort.get());
            Lwkt.sendmsg(blocker.port(), b);
            Thread.sleep(20);
            Message victim = new Message().initAbortable(WaitPort.get());
            Lwkt.sendmsg(target.port(), victim);
            assertTrue(Lwkt.abortmsg(victim));
            assertFalse(Lwkt.abortmsg(victim), "a second abort request must be refused");
            release.countDown();
            assertEquals(Errno.EINTR, Lwkt.waitmsg(victim));
            assertTrue(victim.isAborted());
            Lwkt.waitmsg(b);
            assertEquals(0, handled.get(), "the aborted message was handled anyway");
            // the same message is reusable after its (aborted) reply
            victim.initAbortable(WaitPort.get());
            assertEquals(Errno.OK, Lwkt.domsg(target.port(), victim));
            assertEquals(1, handled.get());
        }
    }

    @Test
    void aParkedMessageIsCancelledThroughItsAbortHandler() {
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            ArrayDeque<Message> waitList = new ArrayDeque<>(); // cpu 1's state
            LwktThread recv = LwktThread.builder("recv").handler(m -> {
                // a blocking "recv": park it until data comes (it never does here)
                waitList.add(m);
                m.abortHandler(x -> {
                    waitList.remove(x);
                    Lwkt.replyAborted(x);
                });
            }).onShutdown(td -> {
                while (!waitList.isEmpty()) {
                    Lwkt.replymsg(waitList.poll(), Errno.ESHUTDOWN);
                }
            }).spawn(k, 1);
            Message m = new Message().initAbortable(WaitPort.get());
            Lwkt.sendmsg(recv.port(), m);
            Await.until("the message to be parked", () -> !m.isDone() && m.flags() == (Message.ABORTABLE));
            assertTrue(Lwkt.abortmsg(m));
            assertEquals(Errno.EINTR, Lwkt.waitmsg(m));
            assertTrue(m.isAborted());
            ShutdownReport r = k.shutdown();
            assertTrue(r.clean(), r.toString());
        }
    }

    @Test
    void abortAfterReplyDoesNothing() {
        try (Kernel k = Kernel.boot(Await.config(1).build())) {
            LwktThread t = k.spawn(0, "t", m -> Lwkt.replymsg(m, Errno.OK));
            Message m = new Message().initAbortable(WaitPort.get());
            assertEquals(Errno.OK, Lwkt.domsg(t.port(), m));
            assertFalse(Lwkt.abortmsg(m));
            assertFalse(m.isAborted());
            Message plain = new Message(WaitPort.get());
            assertFalse(Lwkt.abortmsg(plain), "a message that is not ABORTABLE cannot be aborted");
        }
    }

    @Test
    void interruptingAnExternalWaiterAbortsAndStillWaitsForTheOutcome() throws Exception {
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            ArrayDeque<Message> parked = new ArrayDeque<>();
            LwktThread t = k.spawn(1, "sleepy", m -> {
                parked.add(m);
                m.abortHandler(x -> {
                    parked.remove(x);
                    Lwkt.replyAborted(x);
                });
            });
            int[] result = new int[1];
            boolean[] interruptKept = new boolean[1];
            Thread waiter = new Thread(() -> {
                Message m = new Message().initAbortable(WaitPort.get());
                result[0] = Lwkt.domsg(t.port(), m);
                interruptKept[0] = Thread.currentThread().isInterrupted();
            });
            waiter.start();
            Thread.sleep(50);
            waiter.interrupt();
            waiter.join(10_000);
            assertFalse(waiter.isAlive());
            assertEquals(Errno.EINTR, result[0]);
            assertTrue(interruptKept[0], "the interrupt status was swallowed");
        }
    }
}
