package org.lwktlab.stress.message;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.WaitPort;
import org.lwktlab.stress.support.Kernels;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Abort racing reply (dragonfly.md §9.12): exactly one reply is delivered — the normal result or
 * {@code EINTR} — and the originator observes that one; the message is replied exactly once.
 *
 * <p>An abortable request sent from outside the kernel is held by a thread on CPU 1 (with an abort
 * handler). One actor completes it (an IPI through CPU 1's submission queue that replies it if still
 * held); the other calls {@link Lwkt#abortmsg}, whose request travels to CPU 1 the same way and runs
 * the abort handler if the message is still held. The arbiter waits (bounded) for {@code DONE}.
 * Result: (abortmsg made a request, outcome: 0 replied OK, 1 ABORTED with EINTR, 2 never done,
 * 3 flags/error inconsistent, kernel handler errors: 0 none — a second reply would throw there).
 *
 * <ul>
 *   <li>Acceptable: (1, 0, 0) — the abort was requested but the reply got there first, so the request
 *       found it replied; (1, 1, 0) — the abort handler won; (0, 0, 0) — abortmsg found the reply
 *       already issued.</li>
 *   <li>Forbidden: an ABORTED outcome nobody requested, a message never completed, a reply that
 *       disagrees with its flags, or a second reply (kernel error).</li>
 * </ul>
 */
@JCStressTest
@Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "Abort requested; the normal reply won and the request found it replied.")
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE_INTERESTING, desc = "Abort requested and won: replied ABORTED/EINTR, once.")
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "The reply was issued before abortmsg looked; no request made.")
@Outcome(expect = FORBIDDEN, desc = "Two outcomes, none, an unrequested abort, or a second reply.")
@State
public class AbortRacesReply {
    private static final Kernel KERNEL = Kernels.boot("stress-abort");
    private static final LwktThread HOLDER = LwktThread.builder("holder").handler(HeldRequest.PARK).spawn(KERNEL, 1);

    private final HeldRequest request = new HeldRequest(new Message().initAbortable(WaitPort.get()), HOLDER);

    @Actor
    public void completer() {
        KERNEL.fabric().submit(1, request);
    }

    @Actor
    public void aborter(III_Result r) {
        r.r1 = Lwkt.abortmsg(request.msg) ? 1 : 0;
    }

    @Arbiter
    public void outcome(III_Result r) {
        r.r2 = HeldRequest.outcome(request.msg);
        r.r3 = KERNEL.errorCount() == 0 ? 0 : 1;
    }
}
