package org.lwktlab.bench.ipi;

import org.lwktlab.bench.support.KernelHarness;
import org.lwktlab.bench.support.KernelWorkload;
import org.lwktlab.ipi.IdleStrategy;
import org.lwktlab.ipi.IpiFabric;
import org.lwktlab.ipi.IpiFunction;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;

/**
 * Round trips between CPU 0 and CPU 1 of a booted kernel (or, for messages, two threads of CPU 0),
 * {@code n} per kick — the benchmark form of the {@code ipi-pingpong} experiment:
 * <ul>
 *   <li>{@link Design#IPI}: a bare IPI function each way, sent and drained by the CPUs' own loops;</li>
 *   <li>{@link Design#MESSAGE}: an LWKT message to a thread on CPU 1, replied to the sender's port and
 *       handled there — what ports, messages and the scheduler add to the IPI.</li>
 * </ul>
 * The message is reused, so a round trip allocates nothing.
 *
 * <p><b>Threads.</b> {@link #run} from one outside thread at a time; everything else runs on the CPUs:
 * the round-trip state is CPU 0's ({@code remaining}, {@code held}), touched only there.
 */
public final class KernelPingPong implements KernelWorkload {
    /** Which hand-off bounces. */
    public enum Design { IPI, MESSAGE }

    private final KernelHarness harness;
    private final IpiFabric fabric;
    private final LwktThread driver;
    private final Message ping;
    private final LwktThread ponger;
    // CPU 0 only.
    private long remaining;
    private Message held;

    private static final IpiFunction PING = (cpu, a, v) -> {
        KernelPingPong s = (KernelPingPong) a;
        s.fabric.send(cpu, 0, KernelPingPong.PONG, s, 0);
    };

    private static final IpiFunction PONG = (cpu, a, v) -> {
        KernelPingPong s = (KernelPingPong) a;
        if (--s.remaining == 0) {
            Lwkt.replymsg(s.held, Errno.OK); // the kick is SYNC: this sets DONE and unparks the JMH thread
        } else {
            s.fabric.send(cpu, 1, KernelPingPong.PING, s, 0);
        }
    };

    /** Round trips between CPU 0 and CPU 1. */
    public KernelPingPong(Design design, boolean probes) {
        this(design, probes, 1);
    }

    /**
     * Round trips between CPU 0 and CPU {@code pongerCpu}: 1 for the cross-CPU form, 0 for the
     * {@link Design#MESSAGE} form on one CPU (ports, messages and scheduler without the IPI).
     *
     * @throws IllegalArgumentException if {@code pongerCpu} is not 0 or 1, or is 0 for {@link Design#IPI}
     */
    public KernelPingPong(Design design, boolean probes, int pongerCpu) {
        this(design, probes, pongerCpu, IdleStrategy.defaultStrategy());
    }

    /**
     * As {@link #KernelPingPong(Design, boolean, int)}, with the CPUs idling by {@code idle}.
     *
     * @throws IllegalArgumentException if {@code pongerCpu} is not 0 or 1, or is 0 for {@link Design#IPI}
     */
    public KernelPingPong(Design design, boolean probes, int pongerCpu, IdleStrategy idle) {
        if (pongerCpu != 0 && pongerCpu != 1) {
            throw new IllegalArgumentException("the ponger runs on CPU 0 or 1, got " + pongerCpu);
        }
        if (design == Design.IPI && pongerCpu == 0) {
            throw new IllegalArgumentException("an IPI ping-pong needs two CPUs (ponger on CPU 1); valid on one CPU: MESSAGE");
        }
        harness = new KernelHarness("pingpong-" + design.name().toLowerCase(java.util.Locale.ROOT)
                + (pongerCpu == 0 ? "-local" : ""), pongerCpu + 1, probes, idle);
        fabric = harness.kernel().fabric();
        ponger = harness.kernel().spawn(pongerCpu, "ponger", m -> Lwkt.replymsg(m, Errno.OK));
        driver = LwktThread.builder("pinger").handler(design == Design.IPI ? this::ipiDriver : this::messageDriver)
                .spawn(harness.kernel(), 0);
        ping = new Message(driver.port());
    }

    private void ipiDriver(Message kick) {
        start(kick);
        fabric.send(0, 1, PING, this, 0);
    }

    private void messageDriver(Message m) {
        if (m == ping) {
            if (--remaining == 0) {
                Lwkt.replymsg(held, Errno.OK);
                return;
            }
            Lwkt.sendmsg(ponger.port(), ping);
            return;
        }
        start(m);
        Lwkt.sendmsg(ponger.port(), ping);
    }

    private void start(Message kick) {
        if (kick.arg() < 1) {
            throw new IllegalArgumentException("a ping-pong kick needs at least 1 round trip, got " + kick.arg());
        }
        held = kick;
        remaining = kick.arg();
    }

    /** Runs {@code n} round trips and returns when the last reply is back on CPU 0. */
    @Override
    public void run(long n) {
        harness.run(driver, n);
    }

    /** The kernel the round trips run on. */
    @Override
    public Kernel kernel() {
        return harness.kernel();
    }

    @Override
    public void close() {
        harness.close();
    }
}
