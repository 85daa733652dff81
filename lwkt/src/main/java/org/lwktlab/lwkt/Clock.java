package org.lwktlab.lwkt;

/**
 * Where kernel code and workloads read the time: {@link System#nanoTime()} on real CPU threads, the
 * simulated clock in a deterministic {@link Simulation} (which advances by a fixed amount per step, so a
 * replay sees the same times). Anything whose behaviour depends on time — timers, timeouts, rate
 * limits, latency stamps — reads {@link Lwkt#nanoTime()} or {@link Kernel#clock()}, never
 * {@code System.nanoTime()} directly, or a replay diverges.
 */
@FunctionalInterface
public interface Clock {
    /** The real monotonic clock. */
    Clock SYSTEM = System::nanoTime;

    /** Nanoseconds from an arbitrary origin; differences are elapsed time. */
    long nanoTime();
}
