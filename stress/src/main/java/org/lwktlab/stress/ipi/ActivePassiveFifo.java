package org.lwktlab.stress.ipi;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwktlab.ipi.IpiFabric;
import org.lwktlab.stress.support.Fabrics;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * {@link IpiFabric}: active and passive sends from one CPU share one ring, so together they keep
 * per-pair FIFO, each running exactly once (dragonfly.md §9.1).
 *
 * <p>CPU 0 sends active 1, passive 2, active 3 to CPU 1 on a four-slot ring (so the passive one does
 * not escalate) and flushes; CPU 1 drains once meanwhile; the arbiter drains the rest and checks.
 * Result: (entries the racing drain ran, check: 0 OK, 1 lost, 2 duplicated, 3 reordered).
 *
 * <ul>
 *   <li>Acceptable: check 0 with any prefix (0..3) run by the racing drain.</li>
 *   <li>Forbidden: any non-zero check.</li>
 * </ul>
 */
@JCStressTest
@Outcome(id = {"0, 0", "1, 0", "2, 0", "3, 0"}, expect = ACCEPTABLE,
        desc = "All three ran once, in send order; the racing drain took a prefix.")
@Outcome(expect = FORBIDDEN, desc = "An entry was lost, duplicated, or ran out of order across active and passive sends.")
@State
public class ActivePassiveFifo {
    private static final long[] SENT = {1, 2, 3};

    private final IpiFabric fabric = Fabrics.of(2, 4);
    private final Recorder ran = new Recorder();

    @Actor
    public void sender() {
        fabric.send(0, 1, Recorder.RECORD, ran, 1);
        fabric.sendPassive(0, 1, Recorder.RECORD, ran, 2);
        fabric.send(0, 1, Recorder.RECORD, ran, 3);
        fabric.flushWakeups(0);
    }

    @Actor
    public void target(II_Result r) {
        fabric.process(1);
        r.r1 = ran.count();
    }

    @Arbiter
    public void check(II_Result r) {
        fabric.process(1);
        r.r2 = ran.check(SENT, SENT.length);
    }
}
