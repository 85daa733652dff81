package org.lwktlab.bench.support;

import org.lwktlab.ipi.IdleStrategy;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.KernelConfig;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.ShutdownReport;
import org.lwktlab.lwkt.WaitPort;

/**
 * A booted kernel that a JMH thread drives from outside: {@link #run} hands a <em>kick</em> — a
 * request to do {@code n} operations — to a driver thread on a CPU by an external {@code domsg} and
 * parks until the driver replies it. Everything measured happens on the kernel's CPUs; the JMH thread
 * only starts and waits, once per {@code n} operations, so its own cost (a submission and two
 * wake-ups) is spread thin.
 *
 * <p><b>Invariants:</b> one kick in flight at a time (one JMH thread per harness); the kick message is
 * reused, so driving allocates nothing; {@link #close} fails if the kernel reports anything lost,
 * stuck or thrown, so a broken benchmark cannot report a number quietly.
 */
public final class KernelHarness implements AutoCloseable {
    private final Kernel kernel;
    private final Message kick = new Message(WaitPort.get());

    /**
     * Boots {@code cpus} CPUs, pinned or not by {@link BenchSettings}, with probes on or off and the
     * default idle strategy (what a user gets).
     */
    public KernelHarness(String name, int cpus, boolean probes) {
        this(name, cpus, probes, IdleStrategy.defaultStrategy());
    }

    /** Boots {@code cpus} CPUs, pinned or not by {@link BenchSettings}, with probes on or off and {@code idle}. */
    public KernelHarness(String name, int cpus, boolean probes, IdleStrategy idle) {
        this(KernelConfig.builder(cpus).name(name).probes(probes).idle(idle));
    }

    /** Boots the kernel {@code config} describes, pinned or not by {@link BenchSettings}. */
    public KernelHarness(KernelConfig.Builder config) {
        this.kernel = Kernel.boot(config.pin(BenchSettings.kernelPin()).build());
    }

    public Kernel kernel() {
        return kernel;
    }

    /**
     * Asks {@code driver} to do {@code n} operations and waits until it replies the kick.
     *
     * @throws IllegalStateException if the driver replied an error
     */
    public void run(LwktThread driver, long n) {
        kick.arg(n);
        int err = Lwkt.domsg(driver.port(), kick);
        if (err != Errno.OK) {
            throw new IllegalStateException("benchmark driver " + driver.name() + " failed: " + Errno.name(err)
                    + (kick.exception() != null ? " (" + kick.exception() + ")" : ""));
        }
    }

    /** Shuts the kernel down; throws if it lost, kept or failed anything. */
    @Override
    public void close() {
        ShutdownReport r = kernel.shutdown();
        if (!r.clean() || r.handlerErrors() != 0) {
            throw new IllegalStateException("benchmark kernel did not shut down clean: " + r);
        }
    }
}
