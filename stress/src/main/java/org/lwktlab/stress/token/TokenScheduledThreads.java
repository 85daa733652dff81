package org.lwktlab.stress.token;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.Token;
import org.lwktlab.lwkt.WaitPort;
import org.lwktlab.stress.support.Kernels;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Tokens through the real scheduler: two LWKT threads, on CPU 0 and CPU 1, both declare one exclusive
 * token; the scheduler acquires it before a thread's batch and releases it after, and a thread whose
 * token is held on the other CPU is skipped and re-queued, then runs later holding it (§9.16, "a
 * resumed thread holds all its tokens"; DESIGN §2 Tokens).
 *
 * <p>Two outside threads each send one request, one to each thread. Each handler does a plain
 * read-modify-write of the test instance's counter and checks that nobody else is inside. The arbiter
 * waits (bounded) for both replies. Result: (counter, an overlap was seen, both replied).
 *
 * <ul>
 *   <li>Acceptable: (2, 0, 1) — both ran, one after the other, each seeing the other's update.</li>
 *   <li>Forbidden: a lost update or an overlap (two holders), or a request never replied (a re-queued
 *       thread never ran again).</li>
 * </ul>
 */
@JCStressTest
@Outcome(id = "2, 0, 1", expect = ACCEPTABLE, desc = "Both handlers ran under the token, one after the other.")
@Outcome(expect = FORBIDDEN, desc = "Lost update, overlapping holders, or a re-queued thread that never ran.")
@State
public class TokenScheduledThreads {
    private static final Kernel KERNEL = Kernels.boot("stress-token");
    private static final Token TOKEN = KERNEL.token("stress");
    private static final LwktThread ON_CPU0 = LwktThread.builder("tok0").tokens(TOKEN.exclusive())
            .handler(TokenScheduledThreads::critical).spawn(KERNEL, 0);
    private static final LwktThread ON_CPU1 = LwktThread.builder("tok1").tokens(TOKEN.exclusive())
            .handler(TokenScheduledThreads::critical).spawn(KERNEL, 1);

    private final Message toCpu0 = new Message().init(WaitPort.get()).payload(this);
    private final Message toCpu1 = new Message().init(WaitPort.get()).payload(this);
    private int counter;
    private int inside;
    private int overlap;

    private static void critical(Message m) {
        TokenScheduledThreads s = (TokenScheduledThreads) m.payload();
        if (++s.inside != 1) {
            s.overlap = 1;
        }
        s.counter = s.counter + 1;
        s.inside--;
        Lwkt.replymsg(m, Errno.OK);
    }

    @Actor
    public void sender0() {
        Lwkt.sendmsg(ON_CPU0.port(), toCpu0);
    }

    @Actor
    public void sender1() {
        Lwkt.sendmsg(ON_CPU1.port(), toCpu1);
    }

    @Arbiter
    public void result(III_Result r) {
        boolean done = Kernels.awaitDone(toCpu0) & Kernels.awaitDone(toCpu1);
        r.r1 = counter;
        r.r2 = overlap;
        r.r3 = done ? 1 : 0;
    }
}
