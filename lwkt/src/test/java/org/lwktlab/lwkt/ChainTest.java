package org.lwktlab.lwkt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ChainTest {
    /** A step's payload: which steps of one chain ran, in order. */
    static final class Trail {
        final List<Integer> ran = new ArrayList<>(); // written by each step's CPU in turn, ordered by the hand-offs
    }

    /** {@code n} stage threads on cpus 0..cpus-1 in turn; stage {@code failAt} replies EINVAL. */
    private static LwktThread[] stages(Kernel k, int n, int failAt) {
        LwktThread[] s = new LwktThread[n];
        for (int i = 0; i < n; i++) {
            final int me = i;
            s[i] = k.spawn(i % k.ncpus(), "stage" + i, m -> {
                ((Trail) m.payload()).ran.add(me);
                Lwkt.replymsg(m, me == failAt ? Errno.EINVAL : Errno.OK);
            });
        }
        return s;
    }

    private static MsgChain chainOver(LwktThread[] stages, Trail trail, Port replyPort) {
        MsgChain c = new MsgChain(stages.length, replyPort);
        for (LwktThread s : stages) {
            c.add(s.port(), new Message().payload(trail));
        }
        return c;
    }

    private static long submissions(Kernel k) {
        long s = 0;
        for (int i = 0; i < k.ncpus(); i++) {
            s += k.fabric().submissions(i).enqueued();
        }
        return s;
    }

    @Test
    void stepsRunInOrderAcrossCpusAndOneCompletionIsPosted() {
        try (Kernel k = Kernel.boot(Await.config(3).build())) {
            LwktThread[] st = stages(k, 5, -1);
            Trail trail = new Trail();
            List<Message> completions = new CopyOnWriteArrayList<>();
            LwktThread client = LwktThread.builder("client").handler(m -> { }).spawn(k, 1);
            CallbackPort done = client.callbackPort("done", completions::add);
            MsgChain chain = chainOver(st, trail, done);
            k.fabric().submit(1, cpu -> Lwkt.sendchain(chain));
            Await.until("the completion", () -> !completions.isEmpty());
            assertSame(chain, completions.getFirst());
            assertEquals(List.of(0, 1, 2, 3, 4), trail.ran);
            assertEquals(Errno.OK, chain.error());
            assertEquals(5, chain.completedSteps());
            assertEquals(-1, chain.failedStep());
            assertTrue(chain.isDone() && chain.isReply() && !chain.isAborted());
            for (int i = 0; i < 5; i++) {
                assertTrue(chain.step(i).isDone(), "step " + i + " is not done");
            }
            assertEquals(1, completions.size(), "one completion per chain");
            assertTrue(k.shutdown().clean());
        }
    }

    @Test
    void theChainStopsAtTheFirstErrorAndTheRestNeverRun() {
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            LwktThread[] st = stages(k, 5, 2);
            Trail trail = new Trail();
            MsgChain chain = chainOver(st, trail, WaitPort.get());
            assertEquals(Errno.EINVAL, Lwkt.dochain(chain));
            assertEquals(List.of(0, 1, 2), trail.ran);
            assertEquals(2, chain.completedSteps());
            assertEquals(2, chain.failedStep());
            assertEquals(Errno.EINVAL, chain.step(2).error());
            assertTrue(chain.step(3).isDone() && !chain.step(3).isReply(), "step 3 was sent");
            assertTrue(k.shutdown().clean());
        }
    }

    @Test
    void aThrowingStepStopsTheChainWithEhandler() {
        try (Kernel k = Kernel.boot(Await.config(2).debug(KernelConfig.Debug.PROVENANCE).build())) {
            LwktThread ok = k.spawn(0, "ok", m -> Lwkt.replymsg(m, Errno.OK));
            LwktThread bad = k.spawn(1, "bad", m -> {
                throw new IllegalArgumentException("step handler bug");
            });
            MsgChain chain = new MsgChain(3, WaitPort.get()).add(ok.port(), new Message()).add(bad.port(), new Message())
                    .add(ok.port(), new Message());
            assertEquals(Errno.EHANDLER, Lwkt.dochain(chain));
            assertEquals(1, chain.failedStep());
            assertTrue(chain.step(1).exception() instanceof IllegalArgumentException);
            // provenance follows the chain: the failing step was sent while step 0 was being handled
            Origin o = k.errors().getFirst().origin();
            assertNotNull(o);
            assertEquals("bad", o.port());
            assertEquals(Origin.Relation.CAUSE_REQUEST, o.relation());
            assertEquals("ok", o.up().port());
            assertTrue(k.shutdown().clean());
        }
    }

    @Test
    void oneSubmissionForAChainAgainstOnePerStepWithDomsg() {
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            LwktThread[] st = stages(k, 6, -1);
            Trail t1 = new Trail();
            long before = submissions(k);
            for (LwktThread s : st) {
                assertEquals(Errno.OK, Lwkt.domsg(s.port(), new Message(WaitPort.get()).payload(t1)));
            }
            long perStep = submissions(k) - before;
            Trail t2 = new Trail();
            MsgChain chain = chainOver(st, t2, WaitPort.get());
            before = submissions(k);
            assertEquals(Errno.OK, Lwkt.dochain(chain));
            long chained = submissions(k) - before;
            assertEquals(6, perStep);
            assertEquals(1, chained, "a chain enters the kernel once");
            assertEquals(t1.ran, t2.ran);
        }
    }

    @Test
    void aCompletionRingCollectsManyChainsInFlight() throws Exception {
        try (Kernel k = Kernel.boot(Await.config(3).build())) {
            LwktThread[] st = stages(k, 4, -1);
            CompletionRing ring = new CompletionRing("completions");
            List<MsgChain> chains = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                MsgChain c = chainOver(st, new Trail(), ring);
                c.arg(i);
                chains.add(c);
            }
            for (int round = 0; round < 3; round++) {
                for (MsgChain c : chains) {
                    ((Trail) c.step(0).payload()).ran.clear();
                    Lwkt.sendchain(c);
                }
                boolean[] seen = new boolean[16];
                for (int i = 0; i < 16; i++) {
                    Message m = ring.take();
                    assertTrue(m instanceof MsgChain && m.isDone());
                    assertFalse(seen[(int) m.arg()], "chain " + m.arg() + " completed twice");
                    seen[(int) m.arg()] = true;
                    assertEquals(List.of(0, 1, 2, 3), ((Trail) ((MsgChain) m).step(0).payload()).ran);
                }
                assertEquals(null, ring.poll());
            }
            assertTrue(k.shutdown().clean());
        }
    }

    @Test
    void abortingAChainStopsItInsideAParkedStep() {
        try (Kernel k = Kernel.boot(Await.config(2).build())) {
            ArrayDeque<Message> parked = new ArrayDeque<>();
            int[] afterRan = new int[1];
            LwktThread first = k.spawn(0, "first", m -> Lwkt.replymsg(m, Errno.OK));
            LwktThread slow = k.spawn(1, "slow", m -> { // a blocking read that never gets data
                parked.add(m);
                m.abortHandler(x -> {
                    parked.remove(x);
                    Lwkt.replyAborted(x);
                });
            });
            LwktThread after = k.spawn(0, "after", m -> {
                afterRan[0]++;
                Lwkt.replymsg(m, Errno.OK);
            });
            MsgChain chain = new MsgChain(3);
            chain.initAbortable(WaitPort.get());
            chain.add(first.port(), new Message()).add(slow.port(), new Message().initAbortable(WaitPort.get()))
                    .add(after.port(), new Message());
            Lwkt.sendchain(chain);
            Await.until("step 1 to park", () -> chain.step(1).flags() == Message.ABORTABLE);
            assertTrue(Lwkt.abortmsg(chain));
            assertFalse(Lwkt.abortmsg(chain), "one abort per send");
            assertEquals(Errno.EINTR, Lwkt.waitmsg(chain));
            assertTrue(chain.isAborted());
            assertEquals(1, chain.failedStep());
            assertEquals(1, chain.completedSteps());
            assertTrue(chain.step(1).isAborted());
            assertEquals(0, afterRan[0], "a step after the abort ran");
            // reusable after an abort
            Lwkt.sendchain(chain);
            Await.until("step 1 to park again", () -> parked.size() == 1);
            Lwkt.abortmsg(chain);
            assertEquals(Errno.EINTR, Lwkt.waitmsg(chain));
            assertTrue(k.shutdown().clean());
        }
    }

    @Test
    void anAbortRacingTheChainEndsInExactlyOneOutcomeOverManySchedules() {
        SeedSweep.Result r = SeedSweep.over(() -> KernelConfig.builder(3).probeCapacity(1024)).seeds(1, 400).run(k -> {
            int[] ran = new int[4];
            LwktThread[] st = new LwktThread[4];
            for (int i = 0; i < 4; i++) {
                final int me = i;
                st[i] = k.spawn(i % 3, "s" + i, m -> {
                    if (m.abortRequested()) { // a safe point
                        Lwkt.replyAborted(m);
                        return;
                    }
                    ran[me]++;
                    Lwkt.replymsg(m, Errno.OK);
                });
            }
            MsgChain chain = new MsgChain(4);
            chain.initAbortable(WaitPort.get());
            for (LwktThread s : st) {
                chain.add(s.port(), new Message().initAbortable(WaitPort.get()));
            }
            LwktThread canceller = k.spawn(2, "canceller", m -> {
                Lwkt.abortmsg(chain);
                Lwkt.replymsg(m, Errno.OK);
            });
            Lwkt.sendchain(chain);
            Lwkt.sendmsg(canceller.port(), new Message(NullPort.get()));
            int err = Lwkt.waitmsg(chain);
            int done = chain.completedSteps();
            for (int i = 0; i < 4; i++) {
                if (ran[i] != (i < done ? 1 : 0)) {
                    throw new AssertionError("step " + i + " ran " + ran[i] + " times with " + done + " completed");
                }
            }
            if (chain.isAborted() ? err != Errno.EINTR || done == 4 : err != Errno.OK || done != 4) {
                throw new AssertionError("outcome " + Errno.name(err) + " aborted=" + chain.isAborted() + " done=" + done);
            }
        });
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void misuseIsRefusedWithAReason() {
        try (Kernel k = Kernel.boot(Await.config(1).build())) {
            LwktThread t = k.spawn(0, "t", m -> Lwkt.replymsg(m, Errno.OK));
            Message step = new Message();
            MsgChain c = new MsgChain(2, WaitPort.get()).add(t.port(), step);
            assertThrows(IllegalArgumentException.class, () -> c.add(t.port(), step));
            assertThrows(IllegalArgumentException.class, () -> c.add(t.port(), new MsgChain(1)));
            assertThrows(IllegalArgumentException.class, () -> Lwkt.sendchain(new MsgChain(1, WaitPort.get())));
            assertThrows(IllegalArgumentException.class, () -> new MsgChain(0));
            c.add(t.port(), new Message());
            IllegalStateException full = assertThrows(IllegalStateException.class, () -> c.add(t.port(), new Message()));
            assertTrue(full.getMessage().contains("full"), full.getMessage());
            IllegalStateException[] onCpu = new IllegalStateException[1];
            LwktThread caller = k.spawn(0, "caller", m -> {
                try {
                    Lwkt.dochain(c);
                } catch (IllegalStateException e) {
                    onCpu[0] = e;
                }
                Lwkt.replymsg(m, Errno.OK);
            });
            Lwkt.domsg(caller.port(), new Message(WaitPort.get()));
            assertTrue(onCpu[0] != null && onCpu[0].getMessage().contains("never blocks"));
            assertEquals(Errno.OK, Lwkt.dochain(c));
            assertEquals(Errno.OK, Lwkt.dochain(c), "a chain is reusable");
            assertTrue(k.shutdown().clean());
        }
    }
}
