package org.lwktlab.stress.ipi;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwktlab.ipi.IpiFabric;
import org.lwktlab.stress.support.Bounded;
import org.lwktlab.stress.support.Fabrics;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The ring-full rule: two CPUs flooding each other through two-slot rings both complete, because a
 * sender waiting for room drains its own inbound rings (dragonfly.md §9.4). Without that rule each
 * would wait forever for the other to drain.
 *
 * <p>Each actor plays a CPU: it sends {@value #N} active IPIs to the other (the third send already
 * finds the ring full), then keeps draining — as a CPU's loop would — until it has received the
 * other's {@value #N}, or gives up at the {@link Bounded} deadline. Result: (CPU 0's status, CPU 1's
 * status, a ring-full wait happened), status 0 = sent and received everything in order, 1 = timed out,
 * 2 = received out of order or twice.
 *
 * <p>Why jcstress and not a focused harness: the claim is about interleavings of two spinning
 * senders, and jcstress runs this many thousand times under different JIT modes for free. The send
 * itself is the real {@link IpiFabric#send}; only the "keep draining afterwards" loop is bounded here.
 * A deadlock inside {@code send} itself would hang the fork, which jcstress reports as an error.
 *
 * <ul>
 *   <li>Acceptable: (0, 0, 0) — the receiver kept up; interesting (0, 0, 1) — a ring filled and the
 *       sender drained its own inbound ring while it waited.</li>
 *   <li>Forbidden: any timeout or misordering.</li>
 * </ul>
 */
@JCStressTest
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "Both floods completed without a ring-full wait.")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "Both floods completed; a sender found its ring full and drained its own ring while waiting.")
@Outcome(expect = FORBIDDEN, desc = "A flood did not complete (deadlock) or arrived out of order.")
@State
public class FullRing {
    static final int N = 6;

    private final IpiFabric fabric = Fabrics.of(2, 2);
    private final Recorder at0 = new Recorder();
    private final Recorder at1 = new Recorder();

    @Actor
    public void cpu0(III_Result r) {
        r.r1 = flood(0, 1, at1, at0);
    }

    @Actor
    public void cpu1(III_Result r) {
        r.r2 = flood(1, 0, at0, at1);
    }

    private int flood(int self, int peer, Recorder peerLog, Recorder ownLog) {
        for (long v = 1; v <= N; v++) {
            fabric.send(self, peer, Recorder.RECORD, peerLog, v);
        }
        fabric.flushWakeups(self);
        long deadline = Bounded.deadline();
        for (int spins = 0; ownLog.count() < N; spins++) {
            fabric.process(self);
            if (!Bounded.pause(spins, deadline)) {
                return 1;
            }
        }
        for (int i = 0; i < N; i++) {
            if (ownLog.valueAt(i) != i + 1) {
                return 2;
            }
        }
        return ownLog.count() == N ? 0 : 2;
    }

    @Arbiter
    public void fullWaits(III_Result r) {
        long waits = Fabrics.counter(fabric, "lwkt_ipi_ring_full_waits_total", 0)
                + Fabrics.counter(fabric, "lwkt_ipi_ring_full_waits_total", 1);
        r.r3 = waits > 0 ? 1 : 0;
    }
}
