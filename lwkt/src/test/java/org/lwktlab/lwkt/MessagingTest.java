package org.lwktlab.lwkt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MessagingTest {

    @Test
    void crossCpuSendAndReplyRoundTrips() {
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            LwktThread server = k.spawn(1, "server", m -> {
                m.result(m.arg() * 2);
                Lwkt.replymsg(m, Errno.OK);
            });
            AtomicLong sum = new AtomicLong();
            AtomicLong replies = new AtomicLong();
            AtomicInteger wrongCpu = new AtomicInteger();
            final int n = 20_000;
            LwktThread client = k.spawn(0, "client", m -> {
                if (m.isReply()) {
                    if (Lwkt.currentCpu().id() != 0) {
                        wrongCpu.incrementAndGet();
                    }
                    sum.addAndGet(m.result());
                    replies.incrementAndGet();
                    return;
                }
                // a kick-off request: send n requests to the server with our own port as reply port
                for (int i = 1; i <= n; i++) {
                    Message req = new Message(Lwkt.curthread().port()).arg(i);
                    Lwkt.sendmsg(server.port(), req);
                }
                Lwkt.replymsg(m, Errno.OK);
            });
            assertEquals(Errno.OK, Lwkt.domsg(client.port(), new Message(WaitPort.get())));
            Await.value("replies", replies::get, n);
            assertEquals((long) n * (n + 1), sum.get());
            assertEquals(0, wrongCpu.get(), "a reply was handled off the originator's CPU");
        }
    }

    @Test
    void externalDomsgReturnsTheHandlersErrorAndResult() {
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            LwktThread t = k.spawn(1, "echo", m -> {
                m.resultObject("seen " + m.payload());
                Lwkt.replymsg(m, m.arg() == 0 ? Errno.OK : Errno.EINVAL);
            });
            Message m = new Message(WaitPort.get()).payload("x");
            assertEquals(Errno.OK, Lwkt.domsg(t.port(), m));
            assertEquals("seen x", m.resultObject());
            assertTrue(m.isDone() && m.isReply());
            assertEquals(Errno.EINVAL, Lwkt.domsg(t.port(), m.arg(1)));
        }
    }

    @Test
    void externalSendmsgThenWaitmsg() {
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            LwktThread t = k.spawn(0, "t", m -> Lwkt.replymsg(m, 7));
            List<Message> msgs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Message m = new Message(WaitPort.get());
                Lwkt.sendmsg(t.port(), m);
                msgs.add(m);
            }
            for (Message m : msgs) {
                assertEquals(7, Lwkt.waitmsg(m));
            }
        }
    }

    @Test
    void localDomsgRunsTheHandlerInlineOnTheSameCpu() {
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            AtomicReference<Thread> handlerThread = new AtomicReference<>();
            AtomicReference<Thread> callerThread = new AtomicReference<>();
            List<String> order = new CopyOnWriteArrayList<>();
            LwktThread inner = k.spawn(0, "inner", m -> {
                handlerThread.set(Thread.currentThread());
                order.add("inner handled");
                m.result(99);
                Lwkt.replymsg(m, Errno.OK);
            });
            LwktThread outer = k.spawn(0, "outer", m -> {
                callerThread.set(Thread.currentThread());
                Message sub = new Message(NullPort.get());
                int err = Lwkt.domsg(inner.port(), sub);
                order.add("domsg returned " + err + " result " + sub.result());
                Lwkt.replymsg(m, Errno.OK);
            });
            assertEquals(Errno.OK, Lwkt.domsg(outer.port(), new Message(WaitPort.get())));
            assertSame(callerThread.get(), handlerThread.get());
            assertEquals(List.of("inner handled", "domsg returned 0 result 99"), order);
        }
    }

    @Test
    void domsgFromACpuToAnotherCpuIsAClearError() {
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            LwktThread remote = k.spawn(1, "remote", m -> Lwkt.replymsg(m, Errno.OK));
            AtomicReference<Throwable> caught = new AtomicReference<>();
            LwktThread caller = k.spawn(0, "caller", m -> {
                try {
                    Lwkt.domsg(remote.port(), new Message(NullPort.get()));
                } catch (IllegalStateException e) {
                    caught.set(e);
                }
                Lwkt.replymsg(m, Errno.OK);
            });
            Lwkt.domsg(caller.port(), new Message(WaitPort.get()));
            assertTrue(caught.get() != null && caught.get().getMessage().contains("a CPU never blocks"),
                    String.valueOf(caught.get()));
        }
    }

    @Test
    void callbackPortRunsTheContinuationOnTheOwningCpu() {
        try (Kernel k = Kernel.boot(Await.config(3).build())) {
            LwktThread server = k.spawn(2, "server", m -> Lwkt.replymsg(m, Errno.OK));
            AtomicInteger continued = new AtomicInteger();
            AtomicInteger offCpu = new AtomicInteger();
            LwktThread client = LwktThread.builder("client").handler(m -> {
                if (m.isReply()) {
                    throw new AssertionError("replies go to the callback port, not the thread port");
                }
                CallbackPort cb = (CallbackPort) m.payload();
                for (int i = 0; i < 1000; i++) {
                    Lwkt.sendmsg(server.port(), new Message(cb));
                }
                Lwkt.replymsg(m, Errno.OK);
            }).spawn(k, 0);
            CallbackPort cb = client.callbackPort("client-cb", r -> {
                if (Lwkt.currentCpu().id() != 0 || Lwkt.curthread() != client) {
                    offCpu.incrementAndGet();
                }
                continued.incrementAndGet();
            });
            Lwkt.domsg(client.port(), new Message(WaitPort.get()).payload(cb));
            Await.value("continuations", continued::get, 1000);
            assertEquals(0, offCpu.get());
        }
    }

    @Test
    void forwardKeepsTheReplyPortAndReachesTheNextPort() {
        try (Kernel k = Kernel.boot(Await.config(3).build())) {
            LwktThread last = k.spawn(2, "last", m -> {
                m.result(m.result() + 100);
                Lwkt.replymsg(m, Errno.OK);
            });
            LwktThread first = k.spawn(1, "first", m -> {
                m.result(1);
                Lwkt.forwardmsg(last.port(), m);
            });
            Message m = new Message(WaitPort.get());
            assertEquals(Errno.OK, Lwkt.domsg(first.port(), m));
            assertEquals(101, m.result());
            assertSame(last.port(), m.targetPort());
        }
    }

    @Test
    void messageStateMachineIsEnforced() {
        try (Kernel k = Kernel.boot(Await.config(1).build())) {
            Message fresh = new Message();
            assertThrows(IllegalStateException.class, () -> Lwkt.sendmsg(k.spawn(0, "x", m -> { }).port(), fresh),
                    "sending without a reply port");
            LwktThread hold = LwktThread.builder("hold").handler(m -> { }).onShutdown(td -> { }).spawn(k, 0);
            Message inFlight = new Message(WaitPort.get());
            AtomicReference<Message> held = new AtomicReference<>();
            LwktThread keeper = k.spawn(0, "keeper", held::set);
            Lwkt.sendmsg(keeper.port(), inFlight);
            Await.until("the keeper to hold the message", () -> held.get() != null);
            IllegalStateException again = assertThrows(IllegalStateException.class, () -> Lwkt.sendmsg(hold.port(), inFlight));
            assertTrue(again.getMessage().contains("still in flight"), again.getMessage());
            assertThrows(IllegalStateException.class, () -> Lwkt.forwardmsg(hold.port(), new Message(WaitPort.get())),
                    "forwarding a DONE message");
            Lwkt.replymsg(inFlight, Errno.OK);
            IllegalStateException twice = assertThrows(IllegalStateException.class, () -> Lwkt.replymsg(inFlight, Errno.OK));
            assertTrue(twice.getMessage().contains("exactly once"), twice.getMessage());
            assertEquals(Errno.OK, Lwkt.waitmsg(inFlight));
        }
    }

    @Test
    void sendToSelfPortIsAPlainQueueInsertAndRunsLaterInOrder() {
        try (Kernel k = Kernel.boot(Await.config(1).build())) {
            List<Long> seen = new CopyOnWriteArrayList<>();
            AtomicReference<LwktThread> self = new AtomicReference<>();
            LwktThread t = k.spawn(0, "self", m -> {
                if (m.arg() == 0) {
                    for (long i = 1; i <= 5; i++) {
                        Lwkt.sendmsg(self.get().port(), new Message(NullPort.get()).arg(i));
                    }
                    seen.add(0L);
                    Lwkt.replymsg(m, Errno.OK);
                } else {
                    seen.add(m.arg());
                    Lwkt.replymsg(m, Errno.OK);
                }
            });
            self.set(t);
            Lwkt.domsg(t.port(), new Message(WaitPort.get()));
            Await.value("messages", seen::size, 6);
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), seen);
        }
    }

    @Test
    void priorityMessagesAreDequeuedFirstFifoWithinEachClass() {
        try (Kernel k = Kernel.boot(Await.config(1).build())) {
            List<String> seen = new CopyOnWriteArrayList<>();
            AtomicReference<LwktThread> target = new AtomicReference<>();
            target.set(k.spawn(0, "target", m -> {
                seen.add((String) m.payload());
                Lwkt.replymsg(m, Errno.OK);
            }));
            LwktThread loader = k.spawn(0, "loader", m -> {
                // all queued while the target is not running, then it runs one batch
                String[] names = {"n1", "p1", "n2", "p2", "n3"};
                for (String n : names) {
                    Message x = new Message().init(NullPort.get(), n.startsWith("p") ? Message.PRIORITY : 0);
                    Lwkt.sendmsg(target.get().port(), x.payload(n));
                }
                Lwkt.replymsg(m, Errno.OK);
            });
            Lwkt.domsg(loader.port(), new Message(WaitPort.get()));
            Await.value("handled", seen::size, 5);
            assertEquals(List.of("p1", "p2", "n1", "n2", "n3"), seen);
        }
    }

    @Test
    void triggerMessagesCoalesceIntoTheOneInFlight() {
        // dragonfly.md §9.19: a "send only if DONE" message has at most one copy in flight, and a
        // trigger arriving during the flight is merged into it (a bit ORed in), never lost.
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            AtomicLong handledBits = new AtomicLong();
            AtomicInteger handledCount = new AtomicInteger();
            AtomicInteger maxInFlight = new AtomicInteger();
            AtomicInteger inFlight = new AtomicInteger();
            LwktThread timer = k.spawn(1, "timer", m -> {
                maxInFlight.accumulateAndGet(inFlight.get(), Math::max);
                // take the accumulated task bits, then complete the trigger
                handledBits.getAndAccumulate(((TriggerMsg) m).bits.getAndSet(0), (a, b) -> a | b);
                handledCount.incrementAndGet();
                inFlight.decrementAndGet();
                Lwkt.replymsg(m, Errno.OK);
            });
            TriggerMsg trigger = new TriggerMsg();
            trigger.init(NullPort.get());
            LwktThread src = k.spawn(0, "src", m -> {
                for (int i = 0; i < 40; i++) {
                    trigger.bits.getAndAccumulate(1L << i, (a, b) -> a | b);
                    if (trigger.isDone()) {
                        inFlight.incrementAndGet();
                        Lwkt.sendmsg(timer.port(), trigger);
                    }
                }
                Lwkt.replymsg(m, Errno.OK);
            });
            Lwkt.domsg(src.port(), new Message(WaitPort.get()));
            Await.until("the trigger to complete", trigger::isDone);
            // bits merged after the last flight took its snapshot ride the next flight, as a timer's would
            if (trigger.bits.get() != 0) {
                inFlight.incrementAndGet();
                Lwkt.sendmsg(timer.port(), trigger);
                Await.until("the trigger to complete", trigger::isDone);
            }
            assertEquals((1L << 40) - 1, handledBits.get(), "a trigger was lost");
            assertTrue(maxInFlight.get() <= 1, "more than one copy in flight");
            assertTrue(handledCount.get() < 40, "triggers were not coalesced (" + handledCount.get() + " flights)");
        }
    }

    static final class TriggerMsg extends Message {
        final AtomicLong bits = new AtomicLong();
    }

    @Test
    void repliesFromEveryPortKindReachTheOriginator() {
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            LwktThread t = k.spawn(1, "t", m -> Lwkt.replymsg(m, Errno.OK));
            Message n = new Message(NullPort.get());
            Lwkt.sendmsg(t.port(), n);
            Await.until("null-port reply", n::isDone);
            assertNotSame(null, n.targetPort());
        }
    }
}
