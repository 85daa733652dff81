package org.lwktlab.stress.support;

import java.util.concurrent.TimeUnit;

/**
 * Bounded waiting for tests: a test that waits for another actor or a CPU must never hang the run,
 * because a hang says nothing about which claim failed. Waits spin briefly, then yield (the machine
 * may have fewer cores than busy threads), and give up at a deadline so the test can report a
 * TIMEOUT outcome, which every test marks forbidden.
 *
 * <p>The limit is generous (a shared 2-core machine can stall a thread for a long time); reaching it
 * means something is lost, not slow.
 */
public final class Bounded {
    /** How long a test waits before it calls something lost. */
    public static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private Bounded() {}

    /** A deadline {@link #TIMEOUT_NANOS} from now. */
    public static long deadline() {
        return System.nanoTime() + TIMEOUT_NANOS;
    }

    /**
     * One step of a wait loop: spins for the first iterations, yields after.
     *
     * @param spins   iterations so far
     * @param deadline from {@link #deadline()}
     * @return false once the deadline has passed (the caller reports a timeout)
     */
    public static boolean pause(int spins, long deadline) {
        if (spins < 64) {
            Thread.onSpinWait();
            return true;
        }
        Thread.yield();
        return (spins & 255) != 0 || System.nanoTime() - deadline < 0;
    }
}
