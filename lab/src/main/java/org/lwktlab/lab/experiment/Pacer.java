package org.lwktlab.lab.experiment;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * One load generator's open-loop schedule: operation {@code k} is meant to start at
 * {@code start + phase + k·interval}, whatever happened to operation {@code k−1}. A generator records
 * each operation's latency from that <em>intended</em> start ({@code recorder.record(now - intended)}),
 * so a stall delays the operations scheduled behind it and shows in their latency, instead of silently
 * lowering the offered load — no coordinated omission (Tene, "How NOT to measure latency"; wrk2).
 *
 * <p>Two ways to drive it:
 * <ul>
 *   <li>a generator thread outside the kernel (a mutex design's worker) calls {@link #start} and then
 *       {@link #awaitNext} before each operation;</li>
 *   <li>a generator inside the kernel (an LWKT thread, an IPI context) cannot wait: {@link Arrivals}
 *       starts the schedule and kicks the generator when an operation is due; on each kick the generator
 *       calls {@link #kickTaken()} and then issues every due operation with {@link #due}/{@link #next}.</li>
 * </ul>
 *
 * <p><b>Invariants.</b> The schedule (start, interval, phase) is fixed by {@link #start} and never
 * changes; {@link #next} is called by the one generator that owns the pacer. The only state shared with
 * the {@link Arrivals} thread is the kick flag, published with release/acquire.
 */
public final class Pacer {
    /** What {@link #awaitNext} returns when asked to stop while waiting. */
    public static final long STOPPED = Long.MIN_VALUE;

    /** Below this much time to wait, spin instead of parking (parkNanos oversleeps by ~50 µs on Linux). */
    private static final long SPIN_BELOW_NANOS = 100_000;
    /** Longest single park, so a stop request is seen quickly even at low rates. */
    private static final long MAX_PARK_NANOS = 10_000_000;

    private static final VarHandle KICK_PENDING;

    static {
        try {
            KICK_PENDING = MethodHandles.lookup().findVarHandle(Pacer.class, "kickPending", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final double intervalNanos;
    private final long phaseNanos;
    private long startNanos;
    private long k;
    @SuppressWarnings("unused") // through KICK_PENDING
    private int kickPending;

    /**
     * @param intervalNanos time between intended starts (1e9 / rate)
     * @param phaseNanos    offset of this generator's schedule, so generators do not all fire at once
     */
    public Pacer(double intervalNanos, long phaseNanos) {
        if (!(intervalNanos > 0) || Double.isInfinite(intervalNanos)) {
            throw new IllegalArgumentException("pacer interval must be a positive number of nanoseconds, got " + intervalNanos);
        }
        this.intervalNanos = intervalNanos;
        this.phaseNanos = phaseNanos;
    }

    /** A pacer issuing {@code rate} operations per second. */
    public static Pacer ofRate(double rate, long phaseNanos) {
        return new Pacer(1e9 / rate, phaseNanos);
    }

    /** Operations per second this pacer offers. */
    public double rate() {
        return 1e9 / intervalNanos;
    }

    public double intervalNanos() {
        return intervalNanos;
    }

    /** Fixes the schedule: the first operation is due at {@code nowNanos + phase}. */
    public void start(long nowNanos) {
        startNanos = nowNanos + phaseNanos;
        k = 0;
    }

    /** Intended start of operation {@code index} ({@link System#nanoTime()} scale). */
    public long intendedStart(long index) {
        return startNanos + Math.round(index * intervalNanos);
    }

    /** Intended start of the next operation, without taking it. Owner only. */
    public long peek() {
        return intendedStart(k);
    }

    /** True when the next operation's intended start is at or before {@code nowNanos}. Owner only. */
    public boolean due(long nowNanos) {
        return intendedStart(k) - nowNanos <= 0;
    }

    /** Takes the next operation: returns its intended start and moves on. Owner only. */
    public long next() {
        return intendedStart(k++);
    }

    /** Operations taken so far. Owner only. */
    public long taken() {
        return k;
    }

    /**
     * Waits until the next operation's intended start (at once when already behind), takes it and returns
     * its intended start; returns {@link #STOPPED} when {@code stop} turns true while waiting. For a
     * generator thread outside the kernel; parks for long waits and yield-spins for the last 100 µs.
     */
    public long awaitNext(BooleanSupplier stop) {
        return sleepUntil(peek(), stop) ? next() : STOPPED;
    }

    /**
     * Waits until {@code deadline} ({@link System#nanoTime()} scale): parks for long waits (in slices, so
     * {@code stop} is seen within 10 ms) and yield-spins for the last 100 µs, since a park oversleeps by
     * tens of microseconds. Yielding rather than spinning keeps a generator from taking a core away from
     * the system under test when the machine has none to spare. Returns false when {@code stop} turned
     * true first.
     */
    static boolean sleepUntil(long deadline, BooleanSupplier stop) {
        for (;;) {
            if (stop.getAsBoolean()) {
                return false;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            if (left > SPIN_BELOW_NANOS) {
                LockSupport.parkNanos(Math.min(left - SPIN_BELOW_NANOS / 2, MAX_PARK_NANOS));
            } else {
                Thread.yield(); // not a bare spin: on a machine with no core to spare, the CPUs under test run
            }
        }
    }

    /** The first operation index whose intended start is after {@code nowNanos}, from {@code from} on. */
    long firstAfter(long from, long nowNanos) {
        long i = Math.max(from, (long) Math.floor((nowNanos - startNanos) / intervalNanos));
        while (intendedStart(i) - nowNanos <= 0) {
            i++;
        }
        return i;
    }

    /** Generator side: a kick was received; call before issuing the due operations. */
    public void kickTaken() {
        KICK_PENDING.setRelease(this, 0);
    }

    /** Arrivals side: claims the right to send a kick; false while the previous one is still untaken. */
    boolean claimKick() {
        return KICK_PENDING.compareAndSet(this, 0, 1);
    }
}
