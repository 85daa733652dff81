package org.lwktlab.lab.experiments;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.Simulation;

/**
 * Bounded waits for workloads: a stuck system fails the trial with a reason instead of hanging. On the
 * thread controlling a deterministic simulation the wait drives the simulation until the condition
 * holds (the system only moves while its controller waits), and fails if it goes quiet first.
 */
public final class Waits {
    private Waits() {}

    /**
     * Returns once {@code cond} holds.
     *
     * @throws IllegalStateException naming {@code what} after {@code limit} of real time, or when a
     *                               simulation goes quiet without it
     */
    public static void until(String what, Duration limit, BooleanSupplier cond) {
        Simulation sim = Simulation.current();
        if (sim != null) {
            sim.await(what, cond);
            return;
        }
        if (!Kernel.pollUntil(limit, cond)) {
            throw new IllegalStateException(Thread.currentThread().isInterrupted()
                    ? "interrupted waiting for " + what
                    : "timed out after " + limit.toSeconds() + " s waiting for " + what);
        }
    }

    /**
     * Joins every thread (load generators outside the kernel, told to stop).
     *
     * @throws IllegalStateException naming the first that is still alive after {@code limit}
     */
    public static void joinAll(Thread[] threads, Duration limit) throws InterruptedException {
        for (Thread th : threads) {
            th.join(limit);
            if (th.isAlive()) {
                throw new IllegalStateException(th.getName() + " did not stop within " + limit.toSeconds() + " s");
            }
        }
    }
}
