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
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Two concurrent cpusync masters both complete, and each function runs exactly once per CPU (§9.8).
 * Each master's spin loops drain IPIs and run the other master's released rendezvous, never waiting on
 * it, so neither can hold the other up.
 *
 * <p>CPUs 0 and 1 each run a rendezvous over both CPUs at the same time, then keep draining (bounded)
 * until the other master reports it finished — as a CPU's loop would. Result: (CPU 0 finished in
 * time, CPU 1 finished in time, every function ran exactly once on every CPU).
 *
 * <ul>
 *   <li>Acceptable: (1, 1, 1).</li>
 *   <li>Forbidden: a master that never finished (the two rendezvous deadlocked) or a function that ran
 *       zero times or twice on a CPU.</li>
 * </ul>
 */
@JCStressTest
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "Both rendezvous completed; each function ran once on each CPU.")
@Outcome(expect = FORBIDDEN, desc = "A master hung, or a function ran other than once per CPU.")
@State
public class CpuSyncTwoMasters {
    /** {@code arg2} is the master; counts land in {@code runs[master][cpu]}. */
    private static final IpiFunction RECORD = (cpu, arg, master) -> ((CpuSyncTwoMasters) arg).runs[(int) master][cpu]++;

    private final IpiFabric fabric = Fabrics.of(2, 16);
    private final CpuSync[] syncs = {new CpuSync(fabric), new CpuSync(fabric)};
    private final int[][] runs = new int[2][2];
    private final boolean[] finished = new boolean[2];
    private volatile int finishedCount;

    @Actor
    public void cpu0(III_Result r) {
        r.r1 = master(0);
    }

    @Actor
    public void cpu1(III_Result r) {
        r.r2 = master(1);
    }

    private int master(int self) {
        syncs[self].run(self, CpuMask.all(2), RECORD, this, self);
        finished[self] = true;
        synchronized (this) {
            finishedCount++;
        }
        long deadline = Bounded.deadline();
        for (int spins = 0; finishedCount < 2; spins++) {
            fabric.process(self);
            if (!Bounded.pause(spins, deadline)) {
                return 0;
            }
        }
        return 1;
    }

    @Arbiter
    public void counts(III_Result r) {
        boolean once = true;
        for (int[] perMaster : runs) {
            for (int n : perMaster) {
                once &= n == 1;
            }
        }
        r.r3 = once && finished[0] && finished[1] ? 1 : 0;
    }
}
