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
 * Release then reacquire: everything written under the token is visible to the next holder — the
 * token's release store and the next CAS acquire are what let CPU-owned data move between CPUs under
 * a token with plain fields (§9.16, "a resumed thread holds all its tokens" and sees their data).
 *
 * <p>CPU 0 takes the token, writes two plain fields, releases. CPU 1 tries it (shared, as a reader) and,
 * holding it, reads both. Result: (CPU 0 got it, CPU 1 got it, first field, second field).
 *
 * <ul>
 *   <li>Acceptable: CPU 1 took it first — (1, 1, 0, 0) if CPU 0 got it after, (0, 1, 0, 0) if CPU 0 was
 *       refused; CPU 0 held it and CPU 1 was refused — (1, 0, 0, 0) (CPU 1 reads nothing).</li>
 *   <li>Interesting: (1, 1, 1, 2) — CPU 1 took it after CPU 0's release and saw both writes.</li>
 *   <li>Forbidden: CPU 1 held it and saw one write but not the other — the release did not publish
 *       the critical section.</li>
 * </ul>
 */
@JCStressTest
@Outcome(id = {"1, 1, 0, 0", "0, 1, 0, 0", "1, 0, 0, 0"}, expect = ACCEPTABLE,
        desc = "The reader held the token before the writer, or was refused.")
@Outcome(id = "1, 1, 1, 2", expect = ACCEPTABLE_INTERESTING, desc = "The reader took the token after the writer's release and saw both writes.")
@Outcome(expect = FORBIDDEN, desc = "The reader held the token and saw half of the previous holder's writes.")
@State
public class TokenReleasePublishes {
    private final Token token = StressSeam.token("stress");
    private int a;
    private int b;

    @Actor
    public void writerCpu(IIII_Result r) {
        if (StressSeam.tryAcquire(token, Token.Mode.EXCLUSIVE, 0)) {
            a = 1;
            b = 2;
            StressSeam.release(token, Token.Mode.EXCLUSIVE);
            r.r1 = 1;
        }
    }

    @Actor
    public void readerCpu(IIII_Result r) {
        if (StressSeam.tryAcquire(token, Token.Mode.SHARED, 1)) {
            r.r3 = a;
            r.r4 = b;
            StressSeam.release(token, Token.Mode.SHARED);
            r.r2 = 1;
        }
    }
}
