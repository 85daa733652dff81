package org.lwktlab.lwkt.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.KernelConfig;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.NotifyList;
import org.lwktlab.lwkt.WaitPort;

/** The runnable example of docs/research.md: {@code bin/lab test -q -pl lwkt -am -Dtest=CancellationExample -Dsurefire.failIfNoSpecifiedTests=false}. */
class CancellationExample {

    @Test
    void aBlockingRecvIsCancelledByAnotherThread() throws Exception {
        try (Kernel k = Kernel.boot(KernelConfig.builder(2).pin(KernelConfig.Pin.OFF).build())) {
            NotifyList waiting = new NotifyList("so_rcv");            // cpu 1's state
            LwktThread sock = LwktThread.builder("socket")
                    .handler(waiting::park)                              // no data yet: every recv waits
                    .onShutdown(td -> waiting.replyAll(Errno.ESHUTDOWN))
                    .spawn(k, 1);

            Message recv = new Message().initAbortable(WaitPort.get());
            int[] outcome = new int[1];
            Thread app = new Thread(() -> outcome[0] = Lwkt.domsg(sock.port(), recv));
            app.start();
            while (waiting.isEmpty()) {                                  // (a test may peek; it is racy in general)
                Thread.onSpinWait();
            }
            Lwkt.abortmsg(recv);                                         // from this, another thread
            app.join();
            assertEquals(Errno.EINTR, outcome[0]);
            assertTrue(recv.isAborted());

            Message timed = new Message().initAbortable(WaitPort.get()); // or: give up after a deadline
            assertEquals(Errno.EINTR, Lwkt.domsg(sock.port(), timed, Duration.ofMillis(20)));
            assertTrue(timed.isAborted());
        }
    }

    @Test
    void aLongOperationStopsAtItsNextSafePoint() {
        try (Kernel k = Kernel.boot(KernelConfig.builder(2).pin(KernelConfig.Pin.OFF).build())) {
            LwktThread[] worker = new LwktThread[1];
            worker[0] = k.spawn(1, "long-read", m -> {
                if (Lwkt.abortIfRequested(m)) {                          // the safe point: replies ABORTED
                    return;
                }
                m.result(m.result() + 1);                                // one chunk of work
                if (m.result() == m.arg()) {
                    Lwkt.replymsg(m, Errno.OK);
                } else {
                    Lwkt.forwardmsg(worker[0].port(), m);                // the next chunk, later
                }
            });
            Message read = new Message().initAbortable(WaitPort.get()).arg(1_000_000_000L);
            Lwkt.sendmsg(worker[0].port(), read);
            assertEquals(Errno.EINTR, Lwkt.waitmsg(read, Duration.ofMillis(50)));
            assertTrue(read.isAborted() && read.result() < read.arg());
        }
    }
}
