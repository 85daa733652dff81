package org.lwktlab.stress.ipi;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwktlab.ipi.IpiFabric;
import org.lwktlab.ipi.IpiSignal;
import org.lwktlab.stress.support.Fabrics;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * {@link IpiFabric#sendPassive}: a passive IPI never wakes its target, and is never lost — it runs at
 * the target's next drain of any kind (dragonfly.md §9.6).
 *
 * <p>CPU 0 sends one passive IPI to CPU 1 and flushes its wake-ups (as its loop does after every
 * step). CPU 1 runs its idle path at the same time: it announces idle, re-checks its rings, and either
 * finds the entry (cancels idle and drains) or "parks". The arbiter then plays CPU 1's next drain (the
 * idle tick). Result: (CPU 1's re-check saw the entry, ran before the tick, ran at the tick, CPU 1
 * still marked idle — nobody woke it).
 *
 * <ul>
 *   <li>Acceptable: (1, 1, 0, 0) — the re-check found it and ran it; (0, 0, 1, 1) — CPU 1 parked, the
 *       passive send did not wake it, and the next drain ran it.</li>
 *   <li>Forbidden: anything where the entry ran other than exactly once (lost or duplicated), or
 *       where CPU 1 parked and was woken (a passive IPI signalled its target).</li>
 * </ul>
 */
@JCStressTest
@Outcome(id = "1, 1, 0, 0", expect = ACCEPTABLE, desc = "The target's re-check found the passive IPI and ran it.")
@Outcome(id = "0, 0, 1, 1", expect = ACCEPTABLE, desc = "The target parked unsignalled; its next drain ran the passive IPI.")
@Outcome(expect = FORBIDDEN, desc = "Lost or duplicated, or a passive IPI woke its target.")
@State
public class PassiveIpi {
    private final IpiFabric fabric = Fabrics.of(2, 16);
    private final Recorder ran = new Recorder();

    @Actor
    public void sender() {
        fabric.sendPassive(0, 1, Recorder.RECORD, ran, 1);
        fabric.flushWakeups(0);
    }

    @Actor
    public void target(IIII_Result r) {
        IpiSignal s = fabric.signal(1);
        s.announceIdle();
        if (fabric.hasPending(1)) {
            s.cancelIdle();
            r.r1 = 1;
            fabric.process(1);
        }
        r.r2 = ran.count();
    }

    @Arbiter
    public void tick(IIII_Result r) {
        r.r4 = fabric.signal(1).isIdle() ? 1 : 0;
        int before = ran.count();
        fabric.process(1);
        r.r3 = ran.count() - before;
    }
}
