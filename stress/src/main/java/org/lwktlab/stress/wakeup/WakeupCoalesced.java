package org.lwktlab.stress.wakeup;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
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
 * At most one wake-up per idle period: two CPUs send to CPU 1, which has announced idle and parked
 * (no work in its re-check). Exactly one sender's CAS on the idle mark wins and wakes it; the other
 * counts its wake-up as skipped — skipped because someone else woke the target, never because the
 * target was forgotten (§9.5, {@code gd_npoll}).
 *
 * <p>Result: (wake-ups sent by CPU 0 + CPU 2, wake-ups skipped by both, CPU 1 still marked idle).
 *
 * <ul>
 *   <li>Acceptable: (1, 1, 0) — one woke it, the other coalesced.</li>
 *   <li>Forbidden: (2, 0, 0) — two wake-ups for one idle period; (0, 2, 1) — both skipped and the
 *       target stays asleep with two IPIs queued.</li>
 * </ul>
 */
@JCStressTest
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "One sender woke the idle target, the other's wake-up was coalesced.")
@Outcome(id = "2, 0, 0", expect = FORBIDDEN, desc = "Both senders woke the target: two wake-ups outstanding.")
@Outcome(id = "0, 2, 1", expect = FORBIDDEN, desc = "Lost wake-up: both skipped and the target sleeps with work queued.")
@Outcome(expect = FORBIDDEN, desc = "Impossible accounting.")
@State
public class WakeupCoalesced {
    private static final IpiFunction NOP = (cpu, arg, arg2) -> { };

    private final IpiFabric fabric = Fabrics.of(3, 16);

    public WakeupCoalesced() {
        if (IdlePath.announceAndRecheck(fabric, 1) != 0) {
            throw new AssertionError("cpu 1 found work in a fresh fabric");
        }
    }

    @Actor
    public void cpu0() {
        fabric.send(0, 1, NOP, null, 0);
        fabric.flushWakeups(0);
        fabric.publishProbes(0); // the flush counted in CPU memory; the arbiter reads the counters
    }

    @Actor
    public void cpu2() {
        fabric.send(2, 1, NOP, null, 0);
        fabric.flushWakeups(2);
        fabric.publishProbes(2); // the flush counted in CPU memory; the arbiter reads the counters
    }

    @Arbiter
    public void counters(III_Result r) {
        r.r1 = (int) (Fabrics.counter(fabric, "lwkt_ipi_wakeups_total", 0)
                + Fabrics.counter(fabric, "lwkt_ipi_wakeups_total", 2));
        r.r2 = (int) (Fabrics.counter(fabric, "lwkt_ipi_wakeups_skipped_total", 0)
                + Fabrics.counter(fabric, "lwkt_ipi_wakeups_skipped_total", 2));
        r.r3 = fabric.signal(1).isIdle() ? 1 : 0;
    }
}
