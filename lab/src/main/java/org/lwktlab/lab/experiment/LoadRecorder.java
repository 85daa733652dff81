package org.lwktlab.lab.experiment;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Counts one load generator's operations and records their latency. One writer (the generator's
 * thread or CPU); the runner reads it. Latency is the time from the operation's start — for an
 * open-loop trial, its <em>intended</em> start, so a stall is not hidden (no coordinated omission).
 */
public final class LoadRecorder {
    /** Largest latency tracked: 100 s (longer values are clamped, never dropped). */
    static final long HIGHEST = 100_000_000_000L;

    private final String name;
    private final AtomicCounter ops;
    private final SingleWriterRecorder latency = new SingleWriterRecorder(1, HIGHEST, 3);

    LoadRecorder(String name, AtomicCounter ops) {
        this.name = name;
        this.ops = ops;
    }

    public String name() {
        return name;
    }

    /** One operation that took {@code latencyNanos}. Owner only. */
    public void record(long latencyNanos) {
        latency.recordValue(Math.max(1, Math.min(latencyNanos, HIGHEST)));
        ops.incrementRelease();
    }

    /**
     * {@code count} operations that completed together, each after {@code latencyNanos} (a batch handed
     * over as one message). Owner only.
     */
    public void record(long latencyNanos, int count) {
        latency.recordValueWithCount(Math.max(1, Math.min(latencyNanos, HIGHEST)), count);
        ops.getAndAddRelease(count);
    }

    /** Operations so far (warm-up included). */
    public long ops() {
        return ops.getAcquire();
    }

    /** Latencies since the previous call. Runner only. */
    Histogram interval(Histogram recycle) {
        return latency.getIntervalHistogram(recycle);
    }
}
