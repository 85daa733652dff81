package org.lwktlab.stress.message;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.WaitPort;
import org.lwktlab.stress.support.Kernels;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * {@link Lwkt#waitmsg} from a thread outside the kernel never misses a reply issued on a kernel CPU —
 * the usual path: the holder on CPU 1 replies when an IPI (submitted by the other actor) completes the
 * request, and the reply reaches the {@link WaitPort} from CPU 1's thread.
 *
 * <p>The race is between the waiter actor and CPU 1's thread; its window is narrower than in
 * {@link WaitmsgVsOutsideReply} because the reply first crosses the submission queue. Result and
 * outcomes as there: (rescued by the {@link org.lwktlab.stress.support.Watchdog}, wrong result).
 *
 * <ul>
 *   <li>Acceptable: (0, 0).</li>
 *   <li>Forbidden: anything else — a missed wake-up or a wrong result.</li>
 * </ul>
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "The waiter saw the reply from CPU 1.")
@Outcome(expect = FORBIDDEN, desc = "The waiter missed its wake-up (rescued by the watchdog) or returned a wrong result.")
@State
public class WaitmsgVsCpuReply {
    private static final Kernel KERNEL = Kernels.boot("stress-waitmsg-cpu");
    private static final LwktThread HOLDER = LwktThread.builder("holder").handler(HeldRequest.PARK).spawn(KERNEL, 1);

    private final HeldRequest request = new HeldRequest(new Message().init(WaitPort.get()), HOLDER);

    @Actor
    public void waiter(II_Result r) {
        request.awaitReply(r);
    }

    @Actor
    public void completer() {
        KERNEL.fabric().submit(1, request);
    }
}
