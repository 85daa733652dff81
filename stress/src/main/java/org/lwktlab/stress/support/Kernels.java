package org.lwktlab.stress.support;

import java.util.concurrent.TimeUnit;
import org.lwktlab.ipi.IdleStrategy;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.KernelConfig;
import org.lwktlab.lwkt.Message;

/**
 * The booted kernel a test class shares: jcstress runs each test in its own forked VM, so one kernel
 * per VM serves every instance of that test (booting one per instance would measure thread start-up,
 * not races). Each test instance brings its own messages, so instances never share message state.
 *
 * <p>Two CPUs, unpinned (the actors need the cores too), the default back-off idle strategy, so a CPU
 * really announces idle and parks between bursts — the wake-up path is part of what is tested.
 */
public final class Kernels {
    private Kernels() {}

    /** Boots a two-CPU kernel named {@code name}; its CPU threads are daemons. */
    public static Kernel boot(String name) {
        return Kernel.boot(KernelConfig.builder(2).name(name).pin(KernelConfig.Pin.OFF)
                .idle(IdleStrategy.defaultStrategy()).latencySampleEvery(0).build());
    }

    /**
     * Waits, bounded, until {@code msg} is done (its reply reached the originator).
     *
     * @return false if it did not complete within {@link Bounded#TIMEOUT_NANOS}
     */
    public static boolean awaitDone(Message msg) {
        long deadline = Bounded.deadline();
        for (int spins = 0; !msg.isDone(); spins++) {
            if (!Bounded.pause(spins, deadline)) {
                return msg.isDone();
            }
        }
        return true;
    }

    /** Waits, bounded, until {@code ready} holds (a CPU has done a test's set-up step); throws if it never does. */
    public static void awaitSetUp(java.util.function.BooleanSupplier ready, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (int spins = 0; !ready.getAsBoolean(); spins++) {
            if (!Bounded.pause(spins, deadline)) {
                throw new IllegalStateException("test set-up: " + what + " did not happen within 30 s");
            }
        }
    }
}
