package org.lwktlab.stress.broken;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.TimeUnit;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.StressSeam;
import org.lwktlab.lwkt.WaitPort;
import org.lwktlab.stress.support.Kernels;
import org.lwktlab.stress.support.Watchdog;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * BROKEN ON PURPOSE — the twin of {@code org.lwktlab.stress.message.WaitmsgVsOutsideReply} whose
 * replier publishes {@code DONE} with a release store ({@link StressSeam#replyWithReleaseStore}) where
 * {@link WaitPort} uses a volatile one. The waiter is the real {@link Lwkt#waitmsg}.
 *
 * <p>The replier's store can sit in the store buffer while it reads "no waiter yet", and the waiter
 * (volatile store of itself, then volatile load of the flags) reads "not done" and parks: nobody
 * unparks it. The {@link Watchdog} rescues it after 200 ms (short, so each miss costs little) and the
 * test reports the rescue. Result: (the waiter had to be rescued).
 *
 * <ul>
 *   <li>Acceptable: 0 — the waiter saw the reply, woken or not.</li>
 *   <li>Forbidden: 1 — the missed reply wake-up; expected to appear.</li>
 * </ul>
 */
@JCStressTest
@Outcome(id = "0", expect = ACCEPTABLE, desc = "The waiter saw its reply.")
@Outcome(id = "1", expect = FORBIDDEN, desc = "Missed wake-up: the waiter parked after a release-store reply and had to be rescued.")
@State
public class WaitmsgReleaseReply {
    private static final Kernel KERNEL = Kernels.boot("stress-broken-waitmsg");
    private static final LwktThread HOLDER = LwktThread.builder("holder").handler(WaitmsgReleaseReply::hold).spawn(KERNEL, 1);

    private final Message msg = new Message().init(WaitPort.get()).payload(this);
    private volatile boolean held;

    public WaitmsgReleaseReply() {
        Lwkt.sendmsg(HOLDER.port(), msg);
        Kernels.awaitSetUp(() -> held, "the holder taking the request");
    }

    private static void hold(Message m) {
        ((WaitmsgReleaseReply) m.payload()).held = true;
    }

    @Actor
    public void waiter(I_Result r) {
        Watchdog.Slot slot = Watchdog.slot(TimeUnit.MILLISECONDS.toNanos(200));
        slot.arm();
        Lwkt.waitmsg(msg);
        r.r1 = slot.disarm() ? 1 : 0;
    }

    @Actor
    public void replier() {
        StressSeam.replyWithReleaseStore(msg, Errno.OK);
    }
}
