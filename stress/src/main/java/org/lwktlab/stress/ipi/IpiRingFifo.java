package org.lwktlab.stress.ipi;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwktlab.ipi.IpiQueue;
import org.lwktlab.stress.support.Rethrow;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@link IpiQueue}: FIFO, no loss, no duplicate, and no overfill, racing one producer CPU against one
 * consumer CPU on a two-slot ring (dragonfly.md §9.1, §9.4).
 *
 * <p>The producer offers 1, 2, 3. The ring holds two, so the third offer succeeds only if the consumer
 * freed a slot first (the producer then refreshes its cached consumer index). The consumer drains once
 * while this happens; the arbiter drains what is left and checks that exactly the accepted entries
 * ran, once each, in order. Result: (entries the racing drain ran, entries accepted, check).
 *
 * <ul>
 *   <li>Acceptable: check = 0 (OK) with 2 accepted and 0..2 run by the racing drain, or with 3
 *       accepted after the drain had run at least one.</li>
 *   <li>Interesting: 3 accepted — the ring wrapped while the consumer was draining it.</li>
 *   <li>Forbidden: a lost (1), duplicated (2) or reordered (3) entry; 3 accepted with nothing drained
 *       (the ring would hold three in two slots).</li>
 * </ul>
 */
@JCStressTest
@Outcome(id = {"0, 2, 0", "1, 2, 0", "2, 2, 0"}, expect = ACCEPTABLE,
        desc = "The third offer found the ring full; the accepted two ran once each, in order.")
@Outcome(id = {"1, 3, 0", "2, 3, 0", "3, 3, 0"}, expect = ACCEPTABLE_INTERESTING,
        desc = "The consumer freed a slot in time: the ring wrapped, all three ran once each, in order.")
@Outcome(expect = FORBIDDEN, desc = "Lost, duplicated or reordered entry, or a ring holding more than its capacity.")
@State
public class IpiRingFifo {
    private final IpiQueue ring = new IpiQueue(2);
    private final Recorder ran = new Recorder();
    private final long[] accepted = new long[3];
    private int acceptedCount;

    @Actor
    public void producer() {
        for (long v = 1; v <= 3; v++) {
            if (ring.offer(Recorder.RECORD, ran, v)) {
                accepted[acceptedCount++] = v;
            }
        }
    }

    @Actor
    public void consumer(III_Result r) {
        r.r1 = ring.drain(1, 16, Rethrow.HANDLER);
    }

    @Arbiter
    public void check(III_Result r) {
        ring.drain(1, 16, Rethrow.HANDLER);
        r.r2 = acceptedCount;
        r.r3 = ran.check(accepted, acceptedCount);
    }
}
