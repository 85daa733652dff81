package org.lwktlab.stress.message;

import org.lwktlab.ipi.SubmittedIpi;
import org.lwktlab.lwkt.AbortHandler;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.MessageHandler;
import org.lwktlab.stress.support.Bounded;
import org.lwktlab.stress.support.Kernels;
import org.lwktlab.stress.support.Watchdog;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A request that a kernel thread has taken and holds — as a subsystem parks a blocking call until an
 * event completes it — with an {@link AbortHandler} when the request is abortable. Completing it
 * ({@link #ipi}, run on the holder's CPU) replies it normally if it is still held; the abort handler
 * replies it {@code ABORTED} if it is still held. Both run on the holder's CPU, so they are serialised
 * there, as the model requires.
 *
 * <p>{@code held} is touched only on the holder's CPU; {@code parked} publishes "it is held" to the
 * test's set-up thread.
 */
final class HeldRequest implements SubmittedIpi {
    /** The holder thread's handler: keep the request. */
    static final MessageHandler PARK = m -> ((HeldRequest) m.payload()).park(m);
    private static final AbortHandler CANCEL = m -> ((HeldRequest) m.payload()).cancel(m);

    /** Result codes of {@link #outcome}. */
    static final int REPLIED = 0;
    static final int ABORTED = 1;
    static final int LOST = 2;
    static final int INCONSISTENT = 3;

    final Message msg;
    private Message held;
    private volatile boolean parked;

    /** Sends {@code msg} to {@code holder} and returns once the holder holds it. */
    HeldRequest(Message msg, LwktThread holder) {
        this.msg = msg;
        msg.payload(this);
        Lwkt.sendmsg(holder.port(), msg);
        Kernels.awaitSetUp(() -> parked, "the holder taking the request");
    }

    private void park(Message m) {
        held = m;
        if ((m.flags() & Message.ABORTABLE) != 0) {
            m.abortHandler(CANCEL);
        }
        parked = true;
    }

    private void cancel(Message m) {
        if (held == m) {
            held = null;
            Lwkt.replyAborted(m);
        }
    }

    /** Completes the request normally if it is still held. On the holder's CPU. */
    @Override
    public void ipi(int cpu) {
        Message m = held;
        if (m != null) {
            held = null;
            Lwkt.replymsg(m, Errno.OK);
        }
    }

    /**
     * The waiter actor's body for the {@code waitmsg} tests: the real {@link Lwkt#waitmsg} under a
     * {@link Watchdog} (a missed wake-up would park the actor for good). Sets {@code r1} = 1 if the
     * watchdog had to rescue the waiter, {@code r2} = 1 if the wait returned anything but the reply's OK.
     */
    void awaitReply(II_Result r) {
        Watchdog.Slot slot = Watchdog.slot(Bounded.TIMEOUT_NANOS);
        slot.arm();
        int err = Lwkt.waitmsg(msg);
        r.r1 = slot.disarm() ? 1 : 0;
        r.r2 = err == Errno.OK && msg.isDone() ? 0 : 1;
    }

    /**
     * How the originator sees {@code m} end, waiting (bounded) for it: {@link #REPLIED} (error OK),
     * {@link #ABORTED} (ABORTED with EINTR), {@link #LOST} (never done), {@link #INCONSISTENT} (flags and
     * error disagree).
     */
    static int outcome(Message m) {
        if (!Kernels.awaitDone(m)) {
            return LOST;
        }
        if (!m.isReply()) {
            return INCONSISTENT;
        }
        if (m.isAborted()) {
            return m.error() == Errno.EINTR ? ABORTED : INCONSISTENT;
        }
        return m.error() == Errno.OK ? REPLIED : INCONSISTENT;
    }
}
