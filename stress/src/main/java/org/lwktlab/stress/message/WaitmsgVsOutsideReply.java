package org.lwktlab.stress.message;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.WaitPort;
import org.lwktlab.stress.support.Bounded;
import org.lwktlab.stress.support.Kernels;
import org.lwktlab.stress.support.Watchdog;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * {@link Lwkt#waitmsg} from a thread outside the kernel never misses its reply, with the reply racing
 * the wait as tightly as it can: the reply is issued by another outside thread (§9.10, {@link WaitPort}'s
 * Dekker protocol — the replier stores {@code DONE} (volatile) then reads the waiter; the waiter stores
 * itself (volatile) then reads {@code DONE}).
 *
 * <p>A request is taken by a kernel thread and handed on to the replier actor (the set-up's
 * happens-before chain makes the replier its owner), which calls {@link Lwkt#replymsg} — legal from
 * outside the kernel. The waiter actor parks in the real {@code waitmsg}. A missed wake-up would park it
 * forever, so a {@link Watchdog} interrupts it after {@link Bounded#TIMEOUT_NANOS} and the test reports
 * the rescue. Result: (the watchdog had to rescue the waiter, the wait returned something other than
 * the reply's OK).
 *
 * <ul>
 *   <li>Acceptable: (0, 0) — the waiter returned the reply by itself.</li>
 *   <li>Forbidden: (1, x) — the waiter missed its wake-up; (x, 1) — it returned a wrong result.</li>
 * </ul>
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "The waiter saw its reply, woken or not.")
@Outcome(expect = FORBIDDEN, desc = "The waiter missed its wake-up (rescued by the watchdog) or returned a wrong result.")
@State
public class WaitmsgVsOutsideReply {
    private static final Kernel KERNEL = Kernels.boot("stress-waitmsg");
    private static final LwktThread HOLDER = LwktThread.builder("holder").handler(HeldRequest.PARK).spawn(KERNEL, 1);

    private final HeldRequest request = new HeldRequest(new Message().init(WaitPort.get()), HOLDER);

    @Actor
    public void waiter(II_Result r) {
        request.awaitReply(r);
    }

    @Actor
    public void replier() {
        Lwkt.replymsg(request.msg, Errno.OK);
    }
}
