package org.lwktlab.lwkt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Steady state allocates nothing per message: reusable messages bounce between a client thread on
 * CPU 0 and a server thread on CPU 1 (send, IPI, dispatch, reply, IPI, dispatch, re-send) while the
 * two CPU threads' allocated-bytes counters stay flat. A per-send capturing lambda, a boxed argument
 * or a queue node per message would show here as tens of bytes per round trip.
 */
class SteadyStateAllocationTest {
    private static final int IN_FLIGHT = 64;

    @Test
    void sendDispatchReplyAllocatesNothingOnTheCpus() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported(), "JVM cannot count allocated bytes per thread");
        mx.setThreadAllocatedMemoryEnabled(true);
        try (Kernel k = Kernel.boot(Await.config(2).latencySampleEvery(0).build())) {
            long[] tids = new long[2];
            LwktThread server = k.spawn(1, "server", m -> {
                tids[1] = Thread.currentThread().threadId();
                m.result(m.arg() + 1);
                Lwkt.replymsg(m, Errno.OK);
            });
            AtomicLong roundTrips = new AtomicLong();
            Message[] pool = new Message[IN_FLIGHT];
            AtomicLong parked = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            LwktThread client = k.spawn(0, "client", m -> {
                if (m.isReply() && m.replyPort() != WaitPort.get()) {
                    roundTrips.setRelease(roundTrips.getPlain() + 1);
                    if (stop.getAcquire()) {
                        parked.incrementAndGet();
                    } else {
                        Lwkt.sendmsg(server.port(), m.arg(m.result()));
                    }
                    return;
                }
                tids[0] = Thread.currentThread().threadId();
                for (Message p : pool) {
                    Lwkt.sendmsg(server.port(), p);
                }
                Lwkt.replymsg(m, Errno.OK);
            });
            for (int i = 0; i < IN_FLIGHT; i++) {
                pool[i] = new Message(client.port());
            }
            assertEquals(Errno.OK, Lwkt.domsg(client.port(), new Message(WaitPort.get())));
            Await.until("warm-up (200k round trips)", () -> roundTrips.get() >= 200_000);
            long before = mx.getThreadAllocatedBytes(tids[0]) + mx.getThreadAllocatedBytes(tids[1]);
            long trips0 = roundTrips.get();
            Await.until("200k more round trips", () -> roundTrips.get() >= trips0 + 200_000);
            long after = mx.getThreadAllocatedBytes(tids[0]) + mx.getThreadAllocatedBytes(tids[1]);
            long trips = roundTrips.get() - trips0;
            double perTrip = (double) (after - before) / trips;
            stop.setRelease(true);
            Await.value("messages back home", parked::get, IN_FLIGHT);
            assertTrue(perTrip < 0.05, "CPU threads allocated " + (after - before) + " B over " + trips
                    + " round trips (" + perTrip + " B per round trip)");
        }
    }
}
