package org.lwktlab.stress.cpusync;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwktlab.ipi.CpuMask;
import org.lwktlab.ipi.CpuSync;
import org.lwktlab.ipi.IpiFabric;
import org.lwktlab.ipi.IpiFunction;
import org.lwktlab.stress.support.Bounded;
import org.lwktlab.stress.support.Fabrics;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * {@link CpuSync}: every target ran the function before the initiator continues, and none ran it
 * before {@code deinterlock} (§9.8).
 *
 * <p>CPU 0 is the master of a rendezvous over CPUs 0 and 1: {@code interlock} (CPU 1 is held), then a
 * plain write of a phase marker, then {@code deinterlock}, then it reads what CPU 1's run of the
 * function wrote (plain fields). CPU 1 drains its IPIs until it has run the function (bounded). The
 * function records, per CPU, how often it ran and the phase marker it saw. Result: (CPU 0 saw CPU 1's
 * run count after deinterlock, CPU 0's own run count, CPU 1 saw the phase marker, CPU 1 finished
 * without timing out).
 *
 * <ul>
 *   <li>Acceptable: (1, 1, 1, 1) — each CPU ran it once, the target only after the release (it saw the
 *       marker written between interlock and deinterlock), and the master saw the target's write.</li>
 *   <li>Forbidden: (0, …) — the master continued before the target ran (or did not see its write);
 *       a count of 2; (…, 0, …) in the third place — the target ran before deinterlock; a timeout.</li>
 * </ul>
 */
@JCStressTest
@Outcome(id = "1, 1, 1, 1", expect = ACCEPTABLE, desc = "Both ran once, the target after the release, and the master saw it.")
@Outcome(expect = FORBIDDEN, desc = "The master continued early, a CPU ran twice or before deinterlock, or the rendezvous hung.")
@State
public class CpuSyncInitiatorWaits {
    private static final IpiFunction RECORD = (cpu, arg, arg2) -> ((CpuSyncInitiatorWaits) arg).ran(cpu);

    private final IpiFabric fabric = Fabrics.of(2, 16);
    private final CpuSync sync = new CpuSync(fabric);
    private int phase;
    private final int[] runs = new int[2];
    private final int[] phaseSeen = new int[2];

    private void ran(int cpu) {
        runs[cpu]++;
        phaseSeen[cpu] = phase;
    }

    @Actor
    public void master(IIII_Result r) {
        sync.interlock(0, CpuMask.all(2), RECORD, this, 0);
        phase = 1;
        sync.deinterlock();
        r.r1 = runs[1];
        r.r2 = runs[0];
    }

    @Actor
    public void target(IIII_Result r) {
        long deadline = Bounded.deadline();
        int spins = 0;
        boolean inTime = true;
        while (runs[1] == 0 && inTime) {
            fabric.process(1);
            inTime = Bounded.pause(spins++, deadline);
        }
        r.r3 = phaseSeen[1];
        r.r4 = inTime ? 1 : 0;
    }
}
