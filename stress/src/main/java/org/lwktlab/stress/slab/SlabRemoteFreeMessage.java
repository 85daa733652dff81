package org.lwktlab.stress.slab;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * Slab design {@code message}: a cross-CPU free is never lost and never applied twice
 * (dragonfly.md §9.17), racing the owner CPU's own allocations and frees — see {@link RemoteFreeRig}
 * for the scenario and how loss and duplication are detected.
 *
 * <p>Result: 0 OK, 1 a chunk handed out while still live (a free applied twice), 2 the small arena
 * ran out (frees lost), 3 the CPUs did not finish the requests in time, 4 the kernel recorded an error
 * (e.g. a misuse exception from the slab).
 *
 * <ul>
 *   <li>Acceptable: 0.</li>
 *   <li>Forbidden: anything else.</li>
 * </ul>
 */
@JCStressTest
@Outcome(id = "0", expect = ACCEPTABLE, desc = "The remote free went home once; no chunk was handed out twice.")
@Outcome(id = "1", expect = FORBIDDEN, desc = "A chunk was handed out while still live: a free was applied twice.")
@Outcome(id = "2", expect = FORBIDDEN, desc = "The arena ran out: frees were lost.")
@Outcome(expect = FORBIDDEN, desc = "The CPUs did not finish in time, or the kernel recorded an error.")
@State
public class SlabRemoteFreeMessage {
    private static final RemoteFreeRig RIG = new RemoteFreeRig("message");

    private final RemoteFreeRig.Round round = RIG.new Round();

    @Actor
    public void remoteFree() {
        round.remote();
    }

    @Actor
    public void ownerAllocates() {
        round.local();
    }

    @Arbiter
    public void outcome(I_Result r) {
        r.r1 = round.outcome();
    }
}
