package org.lwktlab.stress.broken;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwktlab.ipi.IpiFabric;
import org.lwktlab.ipi.IpiFunction;
import org.lwktlab.ipi.IpiQueue;
import org.lwktlab.ipi.IpiSignal;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * BROKEN ON PURPOSE — the twin of {@code org.lwktlab.stress.wakeup.WakeupRacesIdle} with the full
 * fence of {@link IpiFabric#flushWakeups} left out: the sender publishes its IPI (the ring's release
 * store of its write index, as {@link IpiFabric#send} does) and then checks the target's idle mark
 * directly with {@link IpiSignal#wakeIfIdle()}, whose contract requires a full fence first
 * ({@link IpiSignal#fenceAndWake()} is the correct form).
 *
 * <p>A release store followed by a load may be reordered even on x86 (the store waits in the store
 * buffer while the load reads the old idle mark), so the sender can miss the target's idle
 * announcement while the target's re-check ({@code hasPending}: the ring's {@link IpiQueue#isEmpty})
 * misses the IPI. Result: (target's re-check saw the IPI, target still marked idle afterwards — nobody
 * woke it).
 *
 * <p>Why a bare ring and signal instead of a whole {@link IpiFabric}: they are the two objects the
 * fabric's send and idle re-check touch, and they cost a few hundred bytes per test instance where a
 * fabric (with its probe registry) costs over 100 KiB. Store buffering shows only when both actors run
 * at the same instant, which needs many samples; with a fabric per instance this machine produced too
 * few to show it (0 of 84,245 in a quick run; docs/stress.md).
 *
 * <ul>
 *   <li>Acceptable: (1, 0) — the target saw the IPI; interesting: (0, 0) — the sender woke it.</li>
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

    private final IpiQueue ring = new IpiQueue(2);
    private final IpiSignal signal = new IpiSignal();

    @Actor
    public void sender() {
        ring.offer(NOP, null, 0);
        signal.wakeIfIdle(); // fenceAndWake without its VarHandle.fullFence()
    }

    @Actor
    public void target(II_Result r) {
        signal.announceIdle();
        if (!ring.isEmpty()) {
            signal.cancelIdle();
            r.r1 = 1;
        }
    }

    @Arbiter
    public void idle(II_Result r) {
        r.r2 = signal.isIdle() ? 1 : 0;
    }
}
