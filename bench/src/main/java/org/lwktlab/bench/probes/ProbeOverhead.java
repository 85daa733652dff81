package org.lwktlab.bench.probes;

import java.util.concurrent.TimeUnit;
import org.lwktlab.bench.ipi.KernelPingPong;
import org.lwktlab.bench.mutex.Delegation;
import org.lwktlab.bench.support.Flags;
import org.lwktlab.bench.support.KernelWorkload;
import org.lwktlab.ipi.IdleStrategy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Probes on against probes off, for the workloads the [metrics] issue names: {@code ipi-pingpong} (both
 * designs: bare IPI and LWKT message round trips between two CPUs) and {@code shared-update} (message
 * design, 1 line, window 16); and {@code pingpongLocalMessage}, the message ping-pong between two
 * threads of one CPU — every per-message probe but the IPI ones, on one core, with nothing else to
 * hide them. The target is {@code on / off} ≥ 0.95 in throughput.
 *
 * <p><b>One kernel, probes switched on and off, alternately.</b> Each workload boots one kernel, and
 * every invocation runs {@value #ROUND} operations with its probes on and {@value #ROUND} with them off
 * ({@link org.lwktlab.lwkt.Kernel#probes(boolean)}, switched between the two halves, untimed), first one
 * and then the other in turn; {@link OnOff} books each round's ratio {@code on / off} (the off half's
 * time over the on half's, for the same work) and reports per iteration the median of those ratios,
 * the same ratio from the iteration's time sums, and each side's rate. <b>Why the median of rounds:</b>
 * on the 2-vCPU machine an outside disturbance (a vCPU taken away for a moment, a JIT or GC thread)
 * lands in one half of one round, and a few such rounds swing an iteration's time sums from 0.88 to
 * 1.19 while the median of its ~250 rounds stays within 0.97–1.02 (shared-update, four runs);
 * disturbances fall on either side alike, so the median leaves out noise, not cost. Why not JMH's {@code @Param} (a fork for each side, one after the other), or two kernels in one
 * fork: on a virtual machine where the kernel's CPU threads land decides a cross-CPU round trip — about
 * 300 ns when the host runs the two vCPUs on nearby cores, 700 ns farther apart, 2,500 ns and more when
 * the guest puts both threads on one vCPU — and that placement is sticky per thread for seconds.
 * Separate forks gave on/off ratios from 0.5× to 2.7× for a change that costs a few per cent, and two
 * kernels alternating in one fork from 0.36× to 1.1×, each kernel's threads sitting where they
 * happened to land. One kernel's threads serve both sides, a few milliseconds apart. The probes-off
 * side runs the same compiled code with the probe branches not taken, which is what a kernel booted
 * with {@code probes(false)} runs too (its flag is a field either way).
 *
 * <p><b>Idle strategy: spin.</b> With the default strategy a CPU parks after a few microseconds without
 * work, and a ping-pong whose hop is a few hundred nanoseconds falls into park/unpark whenever a vCPU
 * is descheduled for a moment — that, not the probes, is what such a run measures.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Flags.ADD_EXPORTS, Flags.MISC, Flags.UNSAFE, Flags.NATIVE, Flags.HEAP_MIN, Flags.HEAP_MAX})
public class ProbeOverhead {
    /** Operations per side per invocation. */
    public static final int ROUND = 20_000;

    /** One workload, run with probes on and off in turn. */
    @State(Scope.Thread)
    public abstract static class Pair {
        KernelWorkload w;
        private boolean onFirst;

        abstract KernelWorkload start();

        @Setup(Level.Trial)
        public void boot() {
            w = start();
        }

        /** Runs {@link #ROUND} operations with probes on and as many with them off, in turn, and books their times. */
        void runBoth(OnOff t) {
            onFirst = !onFirst;
            final long on;
            final long off;
            if (onFirst) {
                on = timed(true);
                off = timed(false);
            } else {
                off = timed(false);
                on = timed(true);
            }
            t.book(on, off);
        }

        private long timed(boolean probes) {
            w.kernel().probes(probes);
            long t0 = System.nanoTime();
            w.run(ROUND);
            return System.nanoTime() - t0;
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            w.close();
        }
    }

    public static class PingPongIpi extends Pair {
        @Override
        KernelWorkload start() {
            return new KernelPingPong(KernelPingPong.Design.IPI, true, 1, IdleStrategy.spin());
        }
    }

    public static class PingPongMessage extends Pair {
        @Override
        KernelWorkload start() {
            return new KernelPingPong(KernelPingPong.Design.MESSAGE, true, 1, IdleStrategy.spin());
        }
    }

    public static class LocalMessage extends Pair {
        @Override
        KernelWorkload start() {
            return new KernelPingPong(KernelPingPong.Design.MESSAGE, true, 0, IdleStrategy.spin());
        }
    }

    public static class Update extends Pair {
        @Override
        KernelWorkload start() {
            return new Delegation(1, 16, true, IdleStrategy.spin());
        }
    }

    @Benchmark
    @OperationsPerInvocation(2 * ROUND)
    public void pingpongIpi(PingPongIpi s, OnOff t) {
        s.runBoth(t);
    }

    @Benchmark
    @OperationsPerInvocation(2 * ROUND)
    public void pingpongMessage(PingPongMessage s, OnOff t) {
        s.runBoth(t);
    }

    @Benchmark
    @OperationsPerInvocation(2 * ROUND)
    public void pingpongLocalMessage(LocalMessage s, OnOff t) {
        s.runBoth(t);
    }

    @Benchmark
    @OperationsPerInvocation(2 * ROUND)
    public void sharedUpdateMessage(Update s, OnOff t) {
        s.runBoth(t);
    }
}
