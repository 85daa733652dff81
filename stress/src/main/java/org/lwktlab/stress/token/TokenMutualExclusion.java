package org.lwktlab.stress.token;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwktlab.lwkt.StressSeam;
import org.lwktlab.lwkt.Token;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * At most one exclusive holder across CPUs (§9.16), and the release/acquire pair orders the holders'
 * critical sections.
 *
 * <p>CPUs 0 and 1 each try the token once (a CPU never waits for a token; the scheduler would re-queue
 * the thread) and, holding it, do a plain read-modify-write of a shared counter. Result: (CPU 0 got it,
 * CPU 1 got it, the counter).
 *
 * <ul>
 *   <li>Acceptable: (1, 0, 1) or (0, 1, 1) — one held it while the other tried.</li>
 *   <li>Interesting: (1, 1, 2) — one released before the other tried; the second saw the first's
 *       write.</li>
 *   <li>Forbidden: (1, 1, 1) — both held it at once (a lost update) or the second holder did not see
 *       the first's write; (0, 0, 0) — neither got a free token.</li>
 * </ul>
 */
@JCStressTest
@Outcome(id = {"1, 0, 1", "0, 1, 1"}, expect = ACCEPTABLE, desc = "One CPU held the token while the other tried and was refused.")
@Outcome(id = "1, 1, 2", expect = ACCEPTABLE_INTERESTING, desc = "The holders took turns; the second saw the first's update.")
@Outcome(expect = FORBIDDEN, desc = "Two exclusive holders at once (lost update), or neither got a free token.")
@State
public class TokenMutualExclusion {
    private final Token token = StressSeam.token("stress");
    private int counter;

    @Actor
    public void cpu0(III_Result r) {
        r.r1 = critical(0);
    }

    @Actor
    public void cpu1(III_Result r) {
        r.r2 = critical(1);
    }

    private int critical(int cpu) {
        if (!StressSeam.tryAcquire(token, Token.Mode.EXCLUSIVE, cpu)) {
            return 0;
        }
        counter = counter + 1;
        StressSeam.release(token, Token.Mode.EXCLUSIVE);
        return 1;
    }

    @Arbiter
    public void result(III_Result r) {
        r.r3 = counter;
    }
}
