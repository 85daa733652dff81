package org.lwktlab.stress.broken;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwktlab.ipi.IpiFabric;
import org.lwktlab.ipi.IpiFunction;
import org.lwktlab.ipi.IpiSignal;
import org.lwktlab.stress.support.Fabrics;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * BROKEN ON PURPOSE — the twin of {@code org.lwktlab.stress.wakeup.WakeupRacesIdle} with the full
 * fence of {@link IpiFabric#flushWakeups} left out: the sender publishes its IPI (a release store of
 * the ring's write index) and then checks the target's idle mark directly with
 * {@link IpiSignal#wakeIfIdle()}, whose contract requires a full fence first.
 *
 * <p>A release store followed by a load may be reordered even on x86 (the store waits in the store
 * buffer while the load reads the old idle mark), so the sender can miss the target's idle
 * announcement while the target's re-check misses the IPI. Result: (target's re-check saw the IPI,
 * target still marked idle afterwards — nobody woke it).
 *
 * <ul>
 *   <li>Acceptable: (1, 0) — the target saw the IPI; (0, 0) — the sender woke it.</li>
 *   <li>Forbidden: (0, 1) — the lost wake-up this fence exists to prevent; expected to appear.</li>
 * </ul>
 */
@JCStressTest
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "The target's re-check saw the IPI.")
@Outcome(id = "0, 0", expect = ACCEPTABLE_INTERESTING, desc = "The sender saw the target idle and woke it.")
@Outcome(id = "0, 1", expect = FORBIDDEN, desc = "Lost wake-up: without the fence the sender missed the idle mark and the target missed the IPI.")
@Outcome(expect = FORBIDDEN, desc = "Impossible: the target saw work and still parked.")
@State
public class WakeupWithoutFence {
    private static final IpiFunction NOP = (cpu, arg, arg2) -> { };

    private final IpiFabric fabric = Fabrics.of(2, 16);

    @Actor
    public void sender() {
        fabric.send(0, 1, NOP, null, 0);
        fabric.signal(1).wakeIfIdle(); // flushWakeups without its VarHandle.fullFence()
    }

    @Actor
    public void target(II_Result r) {
        IpiSignal s = fabric.signal(1);
        s.announceIdle();
        if (fabric.hasPending(1)) {
            s.cancelIdle();
            r.r1 = 1;
        }
    }

    @Arbiter
    public void idle(II_Result r) {
        r.r2 = fabric.signal(1).isIdle() ? 1 : 0;
    }
}
