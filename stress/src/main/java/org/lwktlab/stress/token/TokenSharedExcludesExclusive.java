package org.lwktlab.stress.token;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwktlab.lwkt.StressSeam;
import org.lwktlab.lwkt.Token;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Shared and exclusive holders never coexist (§9.16).
 *
 * <p>CPU 0 tries the token exclusively, CPU 1 shared. Inside, each raises its own "inside" flag, reads
 * the other's, and lowers its flag before releasing (plain fields: only the token orders them). Result:
 * (CPU 0 got it, CPU 0 saw CPU 1 inside, CPU 1 got it, CPU 1 saw CPU 0 inside).
 *
 * <ul>
 *   <li>Acceptable: one held it, the other was refused — (1, 0, 0, 0), (0, 0, 1, 0).</li>
 *   <li>Interesting: both held it in turn — (1, 0, 1, 0).</li>
 *   <li>Forbidden: either saw the other inside (they overlapped), or nobody got a free token.</li>
 * </ul>
 */
@JCStressTest
@Outcome(id = {"1, 0, 0, 0", "0, 0, 1, 0"}, expect = ACCEPTABLE, desc = "One mode held the token; the other was refused.")
@Outcome(id = "1, 0, 1, 0", expect = ACCEPTABLE_INTERESTING, desc = "Exclusive and shared held it in turn, never together.")
@Outcome(expect = FORBIDDEN, desc = "A shared and an exclusive holder overlapped, or nobody got a free token.")
@State
public class TokenSharedExcludesExclusive {
    private final Token token = StressSeam.token("stress");
    private int exclusiveInside;
    private int sharedInside;

    @Actor
    public void exclusiveCpu(IIII_Result r) {
        if (StressSeam.tryAcquire(token, Token.Mode.EXCLUSIVE, 0)) {
            exclusiveInside = 1;
            r.r2 = sharedInside;
            exclusiveInside = 0;
            StressSeam.release(token, Token.Mode.EXCLUSIVE);
            r.r1 = 1;
        }
    }

    @Actor
    public void sharedCpu(IIII_Result r) {
        if (StressSeam.tryAcquire(token, Token.Mode.SHARED, 1)) {
            sharedInside = 1;
            r.r4 = exclusiveInside;
            sharedInside = 0;
            StressSeam.release(token, Token.Mode.SHARED);
            r.r3 = 1;
        }
    }
}
