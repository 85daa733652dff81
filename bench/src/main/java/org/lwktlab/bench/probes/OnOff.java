package org.lwktlab.bench.probes;

import java.util.Arrays;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The probes-on and probes-off times of one iteration of a {@link ProbeOverhead} workload, reported
 * beside JMH's score as the secondaries {@code onOffPairs} (on / off throughput as the median of the
 * iteration's rounds: each round's off time over its on time for the same operations — the figure
 * the target is judged on), {@code onOff} (the same from the iteration's time sums),
 * {@code onPerSecond} and {@code offPerSecond}.
 *
 * <p>One per JMH thread ({@code Scope.Thread}); written only by {@link ProbeOverhead.Pair#runBoth}.
 */
@AuxCounters(AuxCounters.Type.EVENTS)
@State(Scope.Thread)
public class OnOff {
    long on;
    long off;
    long rounds;
    /** Each round's on / off ratio (off time over on time), for {@link #onOffPairs}; grows as needed. */
    double[] pairs = new double[1024];

    @Setup(Level.Iteration)
    public void reset() {
        on = 0;
        off = 0;
        rounds = 0;
    }

    /** Books one round: {@code onNanos} with probes on, {@code offNanos} with them off, for the same work. */
    void book(long onNanos, long offNanos) {
        if (rounds == pairs.length) {
            pairs = Arrays.copyOf(pairs, pairs.length * 2); // the JMH thread, outside the timed halves
        }
        pairs[(int) rounds] = (double) offNanos / onNanos;
        on += onNanos;
        off += offNanos;
        rounds++;
    }

    /**
     * The median of this iteration's per-round on / off ratios; NaN before the first round. Each round
     * times its two halves a few milliseconds apart, so a disturbance from outside (a vCPU taken away
     * for a moment, a JIT or GC thread) lands in one round's one half; the median of rounds leaves such
     * rounds out where the time sums of {@link #onOff} take them in.
     */
    public double onOffPairs() {
        if (rounds == 0) {
            return Double.NaN;
        }
        double[] r = Arrays.copyOf(pairs, (int) rounds);
        Arrays.sort(r);
        int n = r.length;
        return (n & 1) == 1 ? r[n / 2] : (r[n / 2 - 1] + r[n / 2]) / 2;
    }

    /** On / off throughput from this iteration's time sums; NaN before the first round. */
    public double onOff() {
        return on == 0 ? Double.NaN : (double) off / on;
    }

    /** Operations per second with probes on, in this iteration. */
    public double onPerSecond() {
        return rate(on);
    }

    /** Operations per second with probes off, in this iteration. */
    public double offPerSecond() {
        return rate(off);
    }

    private double rate(long nanos) {
        return nanos == 0 ? Double.NaN : rounds * (double) ProbeOverhead.ROUND * 1e9 / nanos;
    }
}
