package org.lwktlab.stress.wakeup;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwktlab.ipi.IpiFabric;
import org.lwktlab.ipi.SubmittedIpi;
import org.lwktlab.stress.support.Fabrics;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * No lost wake-up from outside the kernel: a thread submitting work through {@link IpiFabric#submit}
 * (the MPSC submission queue, then {@code fenceAndWake}) races CPU 0 announcing idle (§9.5).
 *
 * <p>Result: (CPU 0's re-check saw the submission, CPU 0 still marked idle afterwards). A successful
 * wake-up clears the idle mark (the waker's CAS 1 → 0), so "still idle and saw nothing" means CPU 0
 * parks with a submission queued and nobody woke it.
 *
 * <ul>
 *   <li>Acceptable: (1, 0) — the re-check saw it and CPU 0 cancelled idle.</li>
 *   <li>Interesting: (0, 0) — CPU 0 would park, and the submitter saw it idle and woke it (the
 *       narrow window the protocol exists for).</li>
 *   <li>Forbidden: (0, 1) — the lost wake-up.</li>
 * </ul>
 * (1, 1) cannot occur: seeing work cancels idle.
 */
@JCStressTest
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "The CPU's re-check saw the submission and it stays running.")
@Outcome(id = "0, 0", expect = ACCEPTABLE_INTERESTING, desc = "The CPU would park; the submitter saw it idle and woke it.")
@Outcome(id = "0, 1", expect = FORBIDDEN, desc = "Lost wake-up: the CPU parks with a submission queued, unwoken.")
@Outcome(expect = FORBIDDEN, desc = "Impossible: the CPU saw work and still parked.")
@State
public class SubmissionWakeupRacesIdle {
    private static final SubmittedIpi NOP = cpu -> { };

    private final IpiFabric fabric = Fabrics.of(1, 2);

    @Actor
    public void outsideThread() {
        fabric.submit(0, NOP);
    }

    @Actor
    public void cpu(II_Result r) {
        r.r1 = IdlePath.announceAndRecheck(fabric, 0);
    }

    @Arbiter
    public void idle(II_Result r) {
        r.r2 = fabric.signal(0).isIdle() ? 1 : 0;
    }
}
