package org.lwktlab.lwkt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ShutdownTest {

    @Test
    void shutdownRepliesEveryQueuedMessage() {
        Kernel k = Kernel.boot(Await.config(2).build());
        AtomicInteger handled = new AtomicInteger();
        LwktThread slow = k.spawn(1, "slow", m -> {
            long until = System.nanoTime() + 20_000;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            handled.incrementAndGet();
            Lwkt.replymsg(m, Errno.OK);
        });
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            Message m = new Message(WaitPort.get());
            Lwkt.sendmsg(slow.port(), m);
            sent.add(m);
        }
        ShutdownReport r = k.shutdown();
        assertTrue(r.clean(), r.toString());
        assertEquals(2000, handled.get());
        for (Message m : sent) {
            assertTrue(m.isDone(), "a queued message was never replied");
        }
        assertEquals(2000, r.messagesSent());
        assertEquals(r.messagesSent(), r.messagesReplied());
    }

    @Test
    void heldMessagesAreRepliedByTheThreadsShutdownHook() {
        Kernel k = Kernel.boot(Await.config(2).build());
        ArrayDeque<Message> held = new ArrayDeque<>();
        LwktThread keeper = LwktThread.builder("keeper").handler(held::add)
                .onShutdown(td -> {
                    while (!held.isEmpty()) {
                        Lwkt.replymsg(held.poll(), Errno.ESHUTDOWN);
                    }
                }).spawn(k, 1);
        int[] result = new int[1];
        Thread waiter = new Thread(() -> result[0] = Lwkt.domsg(keeper.port(), new Message(WaitPort.get())));
        waiter.start();
        Await.until("the keeper to hold it", () -> keeper.port().thread() == keeper && waiter.getState() == Thread.State.WAITING);
        ShutdownReport r = k.shutdown();
        try {
            waiter.join(10_000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertFalse(waiter.isAlive(), "the outside waiter still hangs after shutdown");
        assertEquals(Errno.ESHUTDOWN, result[0]);
        assertTrue(r.clean(), r.toString());
    }

    @Test
    void aMessageKeptWithoutAHookIsReportedAsLost() {
        Kernel k = Kernel.boot(Await.config(1).build());
        List<Message> swallowed = new ArrayList<>();
        LwktThread sink = k.spawn(0, "sink", swallowed::add);
        Lwkt.sendmsg(sink.port(), new Message(WaitPort.get()));
        ShutdownReport r = k.shutdown();
        assertFalse(r.clean());
        assertEquals(1, r.outstanding());
        assertTrue(r.problems().getFirst().contains("never replied"), r.toString());
    }

    @Test
    void afterShutdownBeginsOutsideSendsGetAClearError() {
        Kernel k = Kernel.boot(Await.config(1).build());
        LwktThread t = k.spawn(0, "t", m -> Lwkt.replymsg(m, Errno.OK));
        k.shutdown();
        Message m = new Message(WaitPort.get());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Lwkt.sendmsg(t.port(), m));
        assertTrue(e.getMessage().contains("stopped") || e.getMessage().contains("shutting down"), e.getMessage());
        assertTrue(m.isDone(), "a refused send must leave the message reusable");
        assertSame(k.shutdown(), k.shutdown(), "shutdown is idempotent");
    }

    @Test
    void participantsReportPerCpuOnTheCpuItself() {
        Kernel k = Kernel.boot(Await.config(3).build());
        List<String> where = new java.util.concurrent.CopyOnWriteArrayList<>();
        k.addShutdownParticipant(new ShutdownParticipant() {
            @Override
            public void onCpuShutdown(Cpu cpu, ShutdownReport.Builder report) {
                where.add(cpu.id() + "@" + Lwkt.currentCpu().id());
                report.line("per-cpu", "cpu " + cpu.id());
            }

            @Override
            public void onShutdown(ShutdownReport.Builder report) {
                report.problem("a deliberate leak for the test");
            }
        });
        ShutdownReport r = k.shutdown();
        assertEquals(List.of("0@0", "1@1", "2@2"), where);
        assertEquals(List.of("cpu 0", "cpu 1", "cpu 2"), r.sections().get("per-cpu"));
        assertFalse(r.clean());
    }
}
