package org.lwktlab.lab.experiment;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Open-loop arrivals for generators that live inside the kernel (LWKT threads, IPI contexts), which
 * must never wait: one platform thread per trial watches every generator's {@link Pacer} schedule and,
 * when an operation falls due, <em>kicks</em> that generator (sends it a message, submits an IPI). The
 * generator then calls {@link Pacer#kickTaken()} and issues every operation due by its own clock, each
 * stamped with its intended start — so a late kick, a busy CPU or a full ring shows up as latency, never
 * as a lower offered load.
 *
 * <p>Kicks are coalesced: while a generator has not taken its previous kick, no new one is sent (the
 * pending kick covers every operation that falls due meanwhile, because the generator reads the clock
 * after taking it). So at most one kick per generator is ever in flight, and a kick object can be
 * reused without allocating.
 *
 * <p><b>Threads.</b> {@link #start} and {@link #close} are for the workload's controlling thread (the
 * runner's); {@link Kick#kick()} runs on the arrivals thread.
 */
public final class Arrivals implements AutoCloseable {
    /** Wakes one in-kernel generator. Runs on the arrivals thread; must not block or allocate. */
    @FunctionalInterface
    public interface Kick {
        void kick();
    }

    private final Pacer[] pacers;
    private final Kick[] kicks;
    private final Thread thread;
    private volatile boolean stop;
    private volatile Throwable failure;
    private final BooleanSupplier stopRequested = () -> stop;

    private Arrivals(String name, List<Pacer> pacers, List<Kick> kicks) {
        if (pacers.size() != kicks.size() || pacers.isEmpty()) {
            throw new IllegalArgumentException("arrivals need one kick per pacer, got " + pacers.size() + " pacers and "
                    + kicks.size() + " kicks");
        }
        this.pacers = pacers.toArray(new Pacer[0]);
        this.kicks = kicks.toArray(new Kick[0]);
        this.thread = new Thread(this::loop, name + "-arrivals");
        this.thread.setDaemon(true);
    }

    /**
     * Starts every pacer's schedule now and the thread that kicks the generators.
     *
     * @param pacers one per generator (see {@link Trial#pacer})
     * @param kicks  {@code kicks.get(i)} wakes the generator owning {@code pacers.get(i)}
     */
    public static Arrivals start(String name, List<Pacer> pacers, List<Kick> kicks) {
        Arrivals a = new Arrivals(name, pacers, kicks);
        long now = System.nanoTime();
        for (Pacer p : a.pacers) {
            p.start(now);
        }
        a.thread.start();
        return a;
    }

    private void loop() {
        final int n = pacers.length;
        final long[] next = new long[n]; // per generator: first operation not yet covered by a kick
        try {
            while (!stop) {
                long now = System.nanoTime();
                long earliest = Long.MAX_VALUE;
                boolean any = false;
                for (int i = 0; i < n; i++) {
                    Pacer p = pacers[i];
                    if (p.intendedStart(next[i]) - now <= 0) {
                        if (p.claimKick()) {
                            kicks[i].kick();
                        }
                        next[i] = p.firstAfter(next[i], now);
                    }
                    long due = p.intendedStart(next[i]);
                    if (!any || due - earliest < 0) {
                        earliest = due;
                        any = true;
                    }
                }
                Pacer.sleepUntil(earliest, stopRequested);
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** Stops kicking and waits up to 10 s for the thread, reporting nothing (the runner's clean-up). */
    void halt() throws InterruptedException {
        stop = true;
        thread.join(Duration.ofSeconds(10));
    }

    /**
     * Stops kicking and waits for the thread to end. Generators may still be issuing the operations of
     * their last kick; the workload waits for those as it waits for any operation in flight.
     *
     * @throws IllegalStateException if a kick threw (the message names the cause), or the thread did not
     *                               end within 10 s
     */
    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(Duration.ofSeconds(10));
        if (thread.isAlive()) {
            throw new IllegalStateException(thread.getName() + " did not stop within 10 s");
        }
        Throwable f = failure;
        if (f != null) {
            throw new IllegalStateException("open-loop arrivals failed: " + f, f);
        }
    }
}
