package org.lwktlab.netisr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.KernelConfig;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.NullPort;
import org.lwktlab.lwkt.ShutdownReport;

/**
 * {@code clock=poll} keeps the timers running with no thread outside the kernel and still lets the
 * CPUs' user-priority threads (the app threads of the load) run — on real CPU threads and as a
 * deterministic simulation, where nothing but the kernel's own threads may drive the clock.
 */
class PollingClockTest {
    @ParameterizedTest(name = "simulated={0}")
    @ValueSource(booleans = {false, true})
    void userThreadsRunWhileTheNetisrsPollTheClock(boolean simulated) {
        KernelConfig.Builder b = KernelConfig.builder(2).name("poll").pin(KernelConfig.Pin.OFF);
        Kernel k = Kernel.boot(simulated ? b.deterministic(3).build() : b.build());
        NetStack st = NetStack.boot(k, NetConfig.builder(NetDesign.MESSAGE).clock(NetConfig.Clock.POLL).build(), null,
                k.clock()::nanoTime, 1);
        AtomicInteger ran = new AtomicInteger();
        for (int cpu = 0; cpu < k.ncpus(); cpu++) {
            LwktThread user = LwktThread.builder("user" + cpu).priority(LwktThread.PRI_USER).handler(m -> {
                ran.incrementAndGet();
                Lwkt.replymsg(m, Errno.OK);
            }).spawn(k, cpu);
            Lwkt.sendmsg(user.port(), new Message(NullPort.get()));
        }
        long ticksBefore = st.clock().now();
        boolean done = k.awaitOutside("both user threads to run", Duration.ofSeconds(10), () -> ran.get() == 2);
        boolean ticked = k.awaitOutside("the polled clock to pass a tick", Duration.ofSeconds(10),
                () -> st.clock().now() > ticksBefore);
        st.close();
        ShutdownReport r = k.shutdown();
        assertTrue(done, "a user-priority thread never ran while its CPU's netisr polled the clock");
        assertTrue(ticked, "the clock never advanced a tick");
        assertEquals(2, ran.get());
        assertTrue(r.clean(), r.toString());
    }
}
