package org.lwktlab.stress.wakeup;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwktlab.ipi.IpiFabric;
import org.lwktlab.ipi.IpiFunction;
import org.lwktlab.stress.support.Fabrics;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * No lost wake-up between CPUs: CPU 1 announcing idle races CPU 0's active send (dragonfly.md §9.5).
 *
 * <p>CPU 0 runs the real sender path: {@link IpiFabric#send} (publish on the ring) then
 * {@link IpiFabric#flushWakeups} (full fence, wake the target if it announced idle). CPU 1 runs the
 * real idle path: {@code announceIdle} (volatile store) then {@code hasPending}. Result: (CPU 1's
 * re-check saw the IPI, CPU 0 sent a wake-up — its {@code lwkt_ipi_wakeups_total}, CPU 0 counted the
 * wake-up as skipped).
 *
 * <ul>
 *   <li>Acceptable: (1, 0, 1) — CPU 1 saw the work and stays running; the sender found it running and
 *       skipped (coalesced) the wake-up. (0, 1, 0) — CPU 1 would park, and the sender saw its idle
 *       announcement and woke it.</li>
 *   <li>Interesting: (1, 1, 0) — both saw each other: a redundant, harmless wake-up.</li>
 *   <li>Forbidden: (0, 0, 1) — CPU 1 parks with the IPI queued and nobody wakes it: the lost
 *       wake-up. It is only possible if one side's store-then-load is reordered (a missing fence).</li>
 * </ul>
 */
@JCStressTest
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "Target saw the IPI and stays running; the wake-up was skipped.")
@Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "Target would park; the sender saw it idle and woke it.")
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE_INTERESTING, desc = "Both saw each other: a redundant wake-up.")
@Outcome(id = "0, 0, 1", expect = FORBIDDEN, desc = "Lost wake-up: the target parks with an IPI queued and nobody wakes it.")
@Outcome(expect = FORBIDDEN, desc = "Impossible accounting: a send neither woke nor skipped, or did both.")
@State
public class WakeupRacesIdle {
    private static final IpiFunction NOP = (cpu, arg, arg2) -> { };

    private final IpiFabric fabric = Fabrics.of(2, 16);

    @Actor
    public void sender() {
        fabric.send(0, 1, NOP, null, 0);
        fabric.flushWakeups(0);
        fabric.publishProbes(0); // the flush counted in CPU memory; the arbiter reads the counters
    }

    @Actor
    public void target(III_Result r) {
        r.r1 = IdlePath.announceAndRecheck(fabric, 1);
    }

    @Arbiter
    public void counters(III_Result r) {
        r.r2 = (int) Fabrics.counter(fabric, "lwkt_ipi_wakeups_total", 0);
        r.r3 = (int) Fabrics.counter(fabric, "lwkt_ipi_wakeups_skipped_total", 0);
    }
}
