package org.lwktlab.lwkt;

/**
 * Which sends a CPU time-stamps for the latency probes: one in {@code every}, stretched while the CPU
 * sends so fast that samples would come closer than {@code gapNanos} apart.
 *
 * <p><b>Why stretch.</b> A sample costs three clock reads (send, handle, reply: ~30 ns each on a
 * virtual machine) and two HdrHistogram records — a few hundred nanoseconds, paid for one message in
 * {@code every}. On a delegated update of ~125 ns that was 3–5 % of the throughput at one in 64
 * ({@code ProbeOverhead}), the largest single probe cost; at the rates of the netisr or VFS experiments
 * it is nothing, and there one in 64 gives barely enough samples for a p99. So the period adapts: when
 * two samples come less than the gap apart it doubles (up to {@link #MAX_STRETCH} times {@code every}),
 * when they come more than four gaps apart it halves (back down to {@code every}). It needs no clock of
 * its own: it reads the time the sample takes anyway.
 *
 * <p><b>Invariants:</b> owner CPU only, no allocation; the period stays within
 * {@code [every, every * MAX_STRETCH]}; with {@code gapNanos == 0} it is exactly one in {@code every};
 * with {@code every == 0} nothing is ever sampled. The sample is uniform while the send rate holds;
 * across a change of rate the faster phase is sampled more sparsely (docs/metrics.md).
 */
final class LatencySampler {
    /** How far the period may stretch: {@code every} times this at most. */
    static final int MAX_STRETCH = 64;

    private final int every;
    private final long gapNanos;
    private int period;
    private int countdown;
    private long lastSample = Long.MIN_VALUE;

    LatencySampler(int every, long gapNanos) {
        if (every < 0 || gapNanos < 0) {
            throw new IllegalArgumentException("latency sampling needs every >= 0 and gap >= 0, got every=" + every
                    + ", gap=" + gapNanos + " ns");
        }
        this.every = every;
        this.gapNanos = gapNanos;
        this.period = every;
        this.countdown = every;
    }

    /** Counts one send; true when this one is to be time-stamped (then call {@link #sampled}). */
    boolean next() {
        return every > 0 && --countdown <= 0;
    }

    /** Books the sample {@link #next} chose, taken at {@code now}, and sets the distance to the next one. */
    void sampled(long now) {
        if (gapNanos > 0) {
            final long since = lastSample == Long.MIN_VALUE ? Long.MAX_VALUE : now - lastSample;
            if (since < gapNanos) {
                if ((long) period * 2 <= (long) every * MAX_STRETCH) {
                    period <<= 1;
                }
            } else if (since > 4 * gapNanos && period > every) {
                period >>= 1;
            }
            lastSample = now;
        }
        countdown = period;
    }

    /** Sends between two samples now. */
    int period() {
        return period;
    }
}
