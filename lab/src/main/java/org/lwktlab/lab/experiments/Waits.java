package org.lwktlab.lab.experiments;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waits for workloads: a stuck system fails the trial with a reason instead of hanging. */
final class Waits {
    private Waits() {}

    static void until(String what, Duration limit, BooleanSupplier cond) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + limit.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
    }
}
