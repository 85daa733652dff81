package org.lwktlab.stress.ipi;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwktlab.ipi.IpiFunction;
import org.lwktlab.ipi.IpiQueue;
import org.lwktlab.stress.support.Rethrow;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * {@link IpiQueue}: a payload written with plain stores before the send is fully visible to the IPI
 * function on the target (dragonfly.md §9.3: the send happens-before the function runs).
 *
 * <p>The sender fills a plain object (an int, a long, a reference) and sends it; the target drains once
 * and its IPI function reads the fields. Result: (ran, int field, long field == 2, reference set).
 *
 * <ul>
 *   <li>Acceptable: the drain came too early and ran nothing (0, 0, 0, 0); or it ran the entry and
 *       saw every field (1, 1, 1, 1).</li>
 *   <li>Forbidden: the entry ran but saw a field still at its default — the ring published the entry
 *       before its payload (the release/acquire on the write index is missing).</li>
 * </ul>
 */
@JCStressTest
@Outcome(id = "0, 0, 0, 0", expect = ACCEPTABLE, desc = "The drain ran before the send: nothing yet.")
@Outcome(id = "1, 1, 1, 1", expect = ACCEPTABLE, desc = "The entry ran and saw the whole payload.")
@Outcome(expect = FORBIDDEN, desc = "The entry ran but saw part of its payload unwritten.")
@State
public class IpiPayloadVisibility {
    /** A payload with plain fields; the reader half is written by the IPI function on the target. */
    static final class Payload {
        int a;
        long b;
        Object c;
        int ran;
        int seenA;
        int seenB;
        int seenC;
    }

    private static final IpiFunction READ = (cpu, arg, arg2) -> {
        Payload p = (Payload) arg;
        p.seenA = p.a;
        p.seenB = p.b == 2L ? 1 : 0;
        p.seenC = p.c != null ? 1 : 0;
        p.ran = 1;
    };

    private final IpiQueue ring = new IpiQueue(4);
    private final Payload payload = new Payload();

    @Actor
    public void sender() {
        Payload p = payload;
        p.a = 1;
        p.b = 2L;
        p.c = p;
        ring.offer(READ, p, 0);
    }

    @Actor
    public void target(IIII_Result r) {
        ring.drain(1, 4, Rethrow.HANDLER);
        Payload p = payload;
        r.r1 = p.ran;
        r.r2 = p.seenA;
        r.r3 = p.seenB;
        r.r4 = p.seenC;
    }
}
