package org.lwktlab.bench.probes;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The probes-on and probes-off times of one iteration of a {@link ProbeOverhead} workload, reported
 * beside JMH's score as the secondaries {@code onOff} (on / off throughput: the off side's time over
 * the on side's for the same operations), {@code onPerSecond} and {@code offPerSecond}.
 *
 * <p>One per JMH thread ({@code Scope.Thread}); written only by {@link ProbeOverhead.Pair#runBoth}.
 */
@AuxCounters(AuxCounters.Type.EVENTS)
@State(Scope.Thread)
public class OnOff {
    long on;
    long off;
    long rounds;

    @Setup(Level.Iteration)
    public void reset() {
        on = 0;
        off = 0;
        rounds = 0;
    }

    /** On / off throughput in this iteration; NaN before the first round. */
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
