package org.lwktlab.lwkt;

/**
 * Which sends a CPU time-stamps for the latency probes: one in {@code every} (a power of two), stretched
 * while the CPU sends so fast that samples would come closer than {@code gapNanos} apart.
 *
 * <p><b>Picked by the send count.</b> The CPU numbers its sends anyway ({@code lwkt_msg_sent_total}, kept
 * whatever the probe switch says), so a send is sampled when the low bits of its number are all ones
 * ({@link #picks}): a mask test on a value already in hand, no countdown of its own to load and store
 * on every send. That is why the period is a power of two.
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
 * <p><b>Invariants:</b> owner CPU only, no allocation; the period is a power of two within
 * {@code [every, every * MAX_STRETCH]}; with {@code gapNanos == 0} it is exactly one in {@code every};
 * with {@code every == 0} nothing is ever sampled. The sample is uniform while the send rate holds;
 * across a change of rate the faster phase is sampled more sparsely (docs/metrics.md).
 */
final class LatencySampler {
    /** How far the period may stretch: {@code every} times this at most. */
    static final int MAX_STRETCH = 64;

    private final int every;
    private final long gapNanos;
    /** The period less one: a send is picked when its number has all these bits set; -1 picks none. */
    private long mask;
    private long lastSample = Long.MIN_VALUE;

    /**
     * @throws IllegalArgumentException if {@code every} is neither 0 nor a power of two, or the gap is negative
     */
    LatencySampler(int every, long gapNanos) {
        if (every < 0 || Integer.bitCount(every) > 1 || gapNanos < 0) {
            throw new IllegalArgumentException("latency sampling needs every = 0 or a power of two and gap >= 0, got every="
                    + every + ", gap=" + gapNanos + " ns");
        }
        this.every = every;
        this.gapNanos = gapNanos;
        this.mask = every == 0 ? -1 : every - 1;
    }

    /** Whether the send numbered {@code seq} (0, 1, 2, … on this CPU) is to be time-stamped (then call {@link #sampled}). */
    boolean picks(long seq) {
        final long m = mask;
        return (seq & m) == m; // -1 picks none: no send number (>= 0) has all 64 bits set
    }

    /** Books the sample {@link #picks} chose, taken at {@code now}, and sets the distance to the next one. */
    void sampled(long now) {
        if (gapNanos > 0) {
            final long since = lastSample == Long.MIN_VALUE ? Long.MAX_VALUE : now - lastSample;
            final long period = mask + 1;
            if (since < gapNanos) {
                if (period * 2 <= (long) every * MAX_STRETCH) {
                    mask = period * 2 - 1;
                }
            } else if (since > 4 * gapNanos && period > every) {
                mask = period / 2 - 1;
            }
            lastSample = now;
        }
    }

    /** Sends between two samples now (0 when nothing is sampled). */
    int period() {
        return (int) (mask + 1);
    }
}
