package org.lwktlab.lwkt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenTest {
    /** Shared state with no synchronisation of its own: only the token protects it. */
    static final class PlainCounter {
        long value;
        int holders;
    }

    @Test
    void aTokenProtectsAPlainCounterIncrementedFromAllCpus() {
        final int cpus = 4;
        final int perCpu = 5_000;
        try (Kernel k = Kernel.boot(Await.config(cpus).build())) {
            Token tok = k.token("counter");
            PlainCounter c = new PlainCounter();
            AtomicInteger overlap = new AtomicInteger();
            AtomicLong done = new AtomicLong();
            LwktThread[] ts = new LwktThread[cpus];
            for (int i = 0; i < cpus; i++) {
                ts[i] = LwktThread.builder("inc" + i).tokens(tok.exclusive()).batchLimit(3).handler(m -> {
                    if (++c.holders != 1) {
                        overlap.incrementAndGet();
                    }
                    long v = c.value;
                    Thread.onSpinWait(); // widen the window a lost update would need
                    c.value = v + 1;
                    c.holders--;
                    done.incrementAndGet();
                    Lwkt.replymsg(m, Errno.OK);
                }).spawn(k, i);
            }
            Thread[] senders = new Thread[cpus];
            for (int i = 0; i < cpus; i++) {
                final LwktThread t = ts[i];
                senders[i] = new Thread(() -> {
                    for (int j = 0; j < perCpu; j++) {
                        Lwkt.sendmsg(t.port(), new Message(NullPort.get()));
                    }
                });
                senders[i].start();
            }
            Await.value("increments", done::get, (long) cpus * perCpu);
            k.shutdown();
            assertEquals(0, overlap.get(), "two CPUs ran under the token at once");
            assertEquals((long) cpus * perCpu, c.value, "an update was lost");
            long acquisitions = 0;
            for (int i = 0; i < cpus; i++) {
                acquisitions += tok.acquisitions(i);
            }
            assertTrue(acquisitions > 0);
        }
    }

    @Test
    void sharedHoldersCoexistButNeverWithAnExclusiveOne() {
        try (Kernel k = Kernel.boot(Await.config(3).build())) {
            Token tok = k.token("rw");
            AtomicInteger readers = new AtomicInteger();
            AtomicInteger writers = new AtomicInteger();
            AtomicInteger violations = new AtomicInteger();
            AtomicLong done = new AtomicLong();
            LwktThread w = LwktThread.builder("writer").tokens(tok.exclusive()).handler(m -> {
                if (writers.incrementAndGet() != 1 || readers.get() != 0) {
                    violations.incrementAndGet();
                }
                Thread.onSpinWait();
                writers.decrementAndGet();
                done.incrementAndGet();
                Lwkt.replymsg(m, Errno.OK);
            }).spawn(k, 0);
            LwktThread[] r = new LwktThread[2];
            for (int i = 0; i < 2; i++) {
                r[i] = LwktThread.builder("reader" + i).tokens(tok.shared()).handler(m -> {
                    readers.incrementAndGet();
                    if (writers.get() != 0 || tok.heldExclusive() || tok.sharedHolders() < 1) {
                        violations.incrementAndGet();
                    }
                    Thread.onSpinWait();
                    readers.decrementAndGet();
                    done.incrementAndGet();
                    Lwkt.replymsg(m, Errno.OK);
                }).spawn(k, i + 1);
            }
            for (int j = 0; j < 3000; j++) {
                Lwkt.sendmsg(w.port(), new Message(NullPort.get()));
                Lwkt.sendmsg(r[0].port(), new Message(NullPort.get()));
                Lwkt.sendmsg(r[1].port(), new Message(NullPort.get()));
            }
            Await.value("handled", done::get, 9000);
            assertEquals(0, violations.get());
            assertEquals(0, tok.sharedHolders());
            assertTrue(!tok.heldExclusive());
        }
    }

    /**
     * dragonfly.md §9.16: every acquisition order terminates, and a thread that runs holds all its
     * tokens. Threads on three CPUs declare the same two tokens in opposite orders; a lock-based
     * design would deadlock here, the scheduler instead re-queues a thread whose set is incomplete.
     */
    @Test
    void oppositeAcquisitionOrdersTerminateAndAHandlerHoldsEveryToken() {
        final int perThread = 3_000;
        try (Kernel k = Kernel.boot(Await.config(3).build())) {
            Token a = k.token("a");
            Token b = k.token("b");
            PlainCounter both = new PlainCounter();
            AtomicInteger violations = new AtomicInteger();
            AtomicLong done = new AtomicLong();
            LwktThread[] ts = new LwktThread[3];
            for (int i = 0; i < ts.length; i++) {
                TokenRef[] order = i % 2 == 0 ? new TokenRef[] {a.exclusive(), b.exclusive()}
                        : new TokenRef[] {b.exclusive(), a.exclusive()};
                ts[i] = LwktThread.builder("ab" + i).tokens(order).batchLimit(2).handler(m -> {
                    if (!a.heldExclusive() || !b.heldExclusive() || ++both.holders != 1) {
                        violations.incrementAndGet();
                    }
                    both.value++;
                    both.holders--;
                    done.incrementAndGet();
                    Lwkt.replymsg(m, Errno.OK);
                }).spawn(k, i);
            }
            for (int j = 0; j < perThread; j++) {
                for (LwktThread t : ts) {
                    Lwkt.sendmsg(t.port(), new Message(NullPort.get()));
                }
            }
            Await.value("handled", done::get, 3L * perThread);
            assertEquals(0, violations.get(), "a handler ran without holding both tokens exclusively");
            assertEquals(3L * perThread, both.value, "an update under both tokens was lost");
        }
    }

    @Test
    void aThreadDeclaringATokenTwiceIsRejected() {
        try (Kernel k = Kernel.boot(Await.config(1).build())) {
            Token t = k.token("t");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LwktThread.builder("x").tokens(t.exclusive(), t.shared()));
            assertTrue(e.getMessage().contains("twice"), e.getMessage());
        }
    }

    @Test
    void collisionsAreCountedWhenATokenIsHeldElsewhere() {
        // No timing luck: thread 0 holds the token (its handler runs) until CPU 1 has counted a
        // collision trying to run thread 1, which declares the same token. A bounded wait turns a
        // collision that is never counted into a failure instead of a hang.
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            Token tok = k.token("hot");
            AtomicBoolean holding = new AtomicBoolean();
            AtomicBoolean sawCollision = new AtomicBoolean();
            AtomicLong done = new AtomicLong();
            LwktThread holder = LwktThread.builder("holder").tokens(tok.exclusive()).handler(m -> {
                holding.set(true);
                long until = System.nanoTime() + 10_000_000_000L;
                while (tok.collisions(1) == 0 && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                sawCollision.set(tok.collisions(1) > 0);
                done.incrementAndGet();
                Lwkt.replymsg(m, Errno.OK);
            }).spawn(k, 0);
            LwktThread contender = LwktThread.builder("contender").tokens(tok.exclusive()).handler(m -> {
                done.incrementAndGet();
                Lwkt.replymsg(m, Errno.OK);
            }).spawn(k, 1);
            Lwkt.sendmsg(holder.port(), new Message(NullPort.get()));
            Await.value("holder running", () -> holding.get() ? 1L : 0L, 1);
            Lwkt.sendmsg(contender.port(), new Message(NullPort.get()));
            Await.value("handled", done::get, 2);
            assertTrue(sawCollision.get(), "CPU 1 counted no collision on a token CPU 0 held while it tried");
        }
    }
}
