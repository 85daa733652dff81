package org.lwktlab.lwkt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.lwktlab.ipi.CpuMask;

class SchedulingTest {

    @Test
    void higherPriorityThreadsRunFirst() {
        try (Kernel k = Kernel.boot(Await.config(1).build())) {
            List<String> order = new CopyOnWriteArrayList<>();
            LwktThread low = LwktThread.builder("low").priority(LwktThread.PRI_USER)
                    .handler(m -> { order.add("low"); Lwkt.replymsg(m, Errno.OK); }).spawn(k, 0);
            LwktThread high = LwktThread.builder("high").priority(LwktThread.PRI_SOFT)
                    .handler(m -> { order.add("high"); Lwkt.replymsg(m, Errno.OK); }).spawn(k, 0);
            LwktThread loader = LwktThread.builder("loader").priority(LwktThread.PRI_MAX).handler(m -> {
                Lwkt.sendmsg(low.port(), new Message(NullPort.get()));
                Lwkt.sendmsg(high.port(), new Message(NullPort.get()));
                Lwkt.sendmsg(low.port(), new Message(NullPort.get()));
                Lwkt.replymsg(m, Errno.OK);
            }).spawn(k, 0);
            Lwkt.domsg(loader.port(), new Message(WaitPort.get()));
            Await.value("runs", order::size, 3);
            assertEquals(List.of("high", "low", "low"), order);
        }
    }

    @Test
    void aRemoteCpuCanOnlyEnqueueNoPreemption() throws Exception {
        // dragonfly.md §9.20: a message from another CPU takes effect at the owner's next scheduling
        // point, never in the middle of a running handler.
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            CountDownLatch lowRunning = new CountDownLatch(1);
            AtomicInteger lowInside = new AtomicInteger();
            AtomicInteger preempted = new AtomicInteger();
            AtomicLong highRuns = new AtomicLong();
            LwktThread high = LwktThread.builder("high").priority(LwktThread.PRI_MAX).handler(m -> {
                if (lowInside.get() != 0) {
                    preempted.incrementAndGet();
                }
                highRuns.incrementAndGet();
                Lwkt.replymsg(m, Errno.OK);
            }).spawn(k, 0);
            LwktThread low = LwktThread.builder("low").priority(LwktThread.PRI_IDLE).handler(m -> {
                lowInside.incrementAndGet();
                lowRunning.countDown();
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
                while (System.nanoTime() < until) {
                    // the low handler sends, so its CPU drains IPIs mid-handler: still no preemption
                    Lwkt.sendmsg(k.cpu(0).threads().getFirst().port(), new Message(NullPort.get()));
                }
                lowInside.decrementAndGet();
                Lwkt.replymsg(m, Errno.OK);
            }).spawn(k, 0);
            Message lm = new Message(WaitPort.get());
            Lwkt.sendmsg(low.port(), lm);
            assertTrue(lowRunning.await(10, TimeUnit.SECONDS));
            LwktThread remote = k.spawn(1, "remote", m -> {
                for (int i = 0; i < 100; i++) {
                    Lwkt.sendmsg(high.port(), new Message(NullPort.get()));
                }
                Lwkt.replymsg(m, Errno.OK);
            });
            Lwkt.domsg(remote.port(), new Message(WaitPort.get()));
            Lwkt.waitmsg(lm);
            Await.until("high runs", () -> highRuns.get() >= 100);
            assertEquals(0, preempted.get(), "a handler was preempted by a message from another CPU");
        }
    }

    @Test
    void aHandlerIsNeverReenteredEvenWhenItsCpuDrainsWhileSending() {
        // Ring capacity 2 forces ring-full waits, during which the sender drains its inbound rings
        // (and so runs IPI functions) in the middle of a handler. Run-to-completion must hold.
        try (Kernel k = Kernel.boot(Await.config(2).ringCapacity(2).build())) {
            AtomicInteger inside0 = new AtomicInteger();
            AtomicInteger inside1 = new AtomicInteger();
            AtomicInteger reentered = new AtomicInteger();
            AtomicLong received = new AtomicLong();
            LwktThread[] t = new LwktThread[2];
            for (int c = 0; c < 2; c++) {
                final AtomicInteger inside = c == 0 ? inside0 : inside1;
                final int other = 1 - c;
                t[c] = k.spawn(c, "flood" + c, m -> {
                    if (inside.incrementAndGet() != 1) {
                        reentered.incrementAndGet();
                    }
                    if (m.arg() > 0) {
                        for (int i = 0; i < m.arg(); i++) {
                            Lwkt.sendmsg(t[other].port(), new Message(NullPort.get()));
                        }
                    } else {
                        received.incrementAndGet();
                    }
                    inside.decrementAndGet();
                    Lwkt.replymsg(m, Errno.OK);
                });
            }
            Lwkt.sendmsg(t[0].port(), new Message(NullPort.get()).arg(50_000));
            Lwkt.sendmsg(t[1].port(), new Message(NullPort.get()).arg(50_000));
            Await.value("flood messages", received::get, 100_000);
            assertEquals(0, reentered.get());
        }
    }

    @Test
    void migrationCarriesQueuedMessagesAndChasesStragglers() {
        try (Kernel k = Kernel.boot(Await.config(3).build())) {
            AtomicIntegerArray handledOn = new AtomicIntegerArray(3);
            AtomicLong handled = new AtomicLong();
            AtomicReference<LwktThread> self = new AtomicReference<>();
            LwktThread mover = k.spawn(0, "mover", m -> {
                handledOn.incrementAndGet(Lwkt.currentCpu().id());
                handled.incrementAndGet();
                if (m.arg() >= 0) {
                    self.get().migrate((int) m.arg());
                }
                Lwkt.replymsg(m, Errno.OK);
            });
            self.set(mover);
            // senders on two CPUs keep sending while the thread moves 0 -> 1 -> 2 -> 0 ...
            final int per = 20_000;
            LwktThread[] senders = new LwktThread[2];
            for (int c = 1; c <= 2; c++) {
                senders[c - 1] = k.spawn(c, "sender" + c, m -> {
                    for (int i = 0; i < per; i++) {
                        Lwkt.sendmsg(mover.port(), new Message(NullPort.get()).arg(i % 1000 == 0 ? (i / 1000) % 3 : -1));
                    }
                    Lwkt.replymsg(m, Errno.OK);
                });
            }
            for (LwktThread s : senders) {
                Lwkt.sendmsg(s.port(), new Message(NullPort.get()));
            }
            Await.value("handled", handled::get, 2L * per);
            int cpusUsed = 0;
            for (int c = 0; c < 3; c++) {
                cpusUsed += handledOn.get(c) > 0 ? 1 : 0;
            }
            assertTrue(cpusUsed >= 2, "the thread never moved");
            assertEquals(0, k.errorCount(), String.valueOf(k.errors()));
            assertTrue(k.shutdown().clean());
            // the port's counts moved with it, each message counted once wherever it was queued and run
            assertEquals(2L * per, Await.probe(k, "lwkt_port_enqueued_total", "mover"));
            assertEquals(2L * per, Await.probe(k, "lwkt_port_dequeued_total", "mover"));
        }
    }

    @Test
    void dropRemovesAQueuedMessageExactlyOnceOrFindsItGone() {
        try (Kernel k = Kernel.boot(Await.config(1).build())) {
            AtomicInteger dispatched = new AtomicInteger();
            LwktThread target = k.spawn(0, "target", m -> {
                dispatched.incrementAndGet();
                Lwkt.replymsg(m, Errno.OK);
            });
            List<Integer> results = new ArrayList<>();
            Message d = new Message().init(NullPort.get(), Message.DROPABLE);
            LwktThread dropper = LwktThread.builder("dropper").priority(LwktThread.PRI_MAX).handler(m -> {
                Lwkt.sendmsg(target.port(), d); // queued: the target cannot run while we do
                results.add(Lwkt.dropmsg(d));
                results.add(Lwkt.dropmsg(d));
                Lwkt.replymsg(m, Errno.OK);
            }).spawn(k, 0);
            Lwkt.domsg(dropper.port(), new Message(WaitPort.get()));
            assertEquals(List.of(Errno.OK, Errno.ENOENT), results);
            assertTrue(d.isDone());
            assertFalse(d.isReply());
            assertEquals(0, dispatched.get(), "a dropped message was dispatched");
            assertTrue(k.shutdown().clean());
        }
    }

    @Test
    void kernelCpusyncRunsEverywhereBeforeReturning() {
        try (Kernel k = Kernel.boot(Await.config(3).build())) {
            AtomicIntegerArray ran = new AtomicIntegerArray(3);
            k.cpusync(CpuMask.all(3), (cpu, a, v) -> ran.incrementAndGet(cpu), null, 0);
            for (int c = 0; c < 3; c++) {
                assertEquals(1, ran.get(c));
            }
            // from a CPU, as master
            LwktThread t = k.spawn(1, "master", m -> {
                k.cpusync(CpuMask.all(3), (cpu, a, v) -> ran.incrementAndGet(cpu), null, 0);
                m.result(ran.get(0) + ran.get(1) + ran.get(2));
                Lwkt.replymsg(m, Errno.OK);
            });
            Message m = new Message(WaitPort.get());
            Lwkt.domsg(t.port(), m);
            assertEquals(6, m.result());
        }
    }

    @Test
    void portCountersAreExact() {
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            AtomicLong handled = new AtomicLong();
            LwktThread t = k.spawn(1, "counted", m -> {
                handled.incrementAndGet();
                Lwkt.replymsg(m, Errno.OK);
            });
            final int n = 12_345;
            for (int i = 0; i < n; i++) {
                Lwkt.sendmsg(t.port(), new Message(NullPort.get()));
            }
            Await.value("handled", handled::get, n);
            ShutdownReport r = k.shutdown();
            assertEquals(n, Await.probe(k, "lwkt_port_enqueued_total", "counted"));
            assertEquals(n, Await.probe(k, "lwkt_port_dequeued_total", "counted"));
            assertEquals(n, Await.probe(k, "lwkt_cpu_handled_total", null));
            assertEquals(n, r.messagesSent());
            assertEquals(n, r.messagesReplied());
        }
    }

}
