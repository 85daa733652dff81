package org.lwktlab.bench.probes;

import java.util.concurrent.TimeUnit;
import org.lwktlab.bench.ipi.KernelPingPong;
import org.lwktlab.bench.mutex.Delegation;
import org.lwktlab.bench.support.Flags;
import org.lwktlab.ipi.IdleStrategy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Probes on against probes off, in operations per second (higher is better), for the workloads the
 * [metrics] issue names: {@code ipi-pingpong} (both designs: bare IPI and LWKT message round trips
 * between two CPUs) and {@code shared-update} (message design, 1 line, window 16); and
 * {@code pingpongLocalMessage}, the message ping-pong between two threads of one CPU — every
 * per-message probe but the IPI ones, on one core, so it is the figure least disturbed when the
 * machine's other cores are busy. The ratio {@code on / off} must be at least 0.95.
 *
 * <p><b>Idle strategy: spin, for both sides.</b> With the default backoff strategy a CPU that finds no
 * work for a few microseconds yields and then parks, and the next hand-off to it pays an unpark — tens
 * of microseconds against a hop of a few hundred nanoseconds. On a 2-core machine whose vCPUs are
 * stolen now and then, whether a ping-pong stays in the spin phase or falls into park/unpark is
 * decided by the scheduler, not by the probes, and it flips for whole iterations: with the default
 * strategy the same quiet machine gave on/off ratios of 0.28× and 0.64× in one run and 0.72× by
 * alternating runs, each iteration moving between 20 k and 1.9 M round trips per second. Spinning CPUs
 * take that chaos out, so the ratio is what the probe writes cost; the other benchmarks keep the
 * default strategy, what a user gets.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Flags.ADD_EXPORTS, Flags.MISC, Flags.UNSAFE, Flags.NATIVE, Flags.HEAP_MIN, Flags.HEAP_MAX})
public class ProbeOverhead {
    /** Operations per kick. */
    public static final int ROUND = 20_000;

    /** The probe switch every workload here takes. */
    @State(Scope.Benchmark)
    public static class Switch {
        @Param({"on", "off"})
        public String probes;

        boolean on() {
            return switch (probes) {
                case "on" -> true;
                case "off" -> false;
                default -> throw new IllegalArgumentException("probes must be on or off, got '" + probes + "'");
            };
        }
    }

    @State(Scope.Benchmark)
    public static class PingPongIpi {
        KernelPingPong pp;

        @Setup(Level.Trial)
        public void boot(Switch sw) {
            pp = new KernelPingPong(KernelPingPong.Design.IPI, sw.on(), 1, IdleStrategy.spin());
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            pp.close();
        }
    }

    @State(Scope.Benchmark)
    public static class PingPongMessage {
        KernelPingPong pp;

        @Setup(Level.Trial)
        public void boot(Switch sw) {
            pp = new KernelPingPong(KernelPingPong.Design.MESSAGE, sw.on(), 1, IdleStrategy.spin());
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            pp.close();
        }
    }

    @State(Scope.Benchmark)
    public static class LocalMessage {
        KernelPingPong pp;

        @Setup(Level.Trial)
        public void boot(Switch sw) {
            pp = new KernelPingPong(KernelPingPong.Design.MESSAGE, sw.on(), 0, IdleStrategy.spin());
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            pp.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Update {
        Delegation delegation;

        @Setup(Level.Trial)
        public void boot(Switch sw) {
            delegation = new Delegation(1, 16, sw.on(), IdleStrategy.spin());
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            delegation.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROUND)
    public void pingpongIpi(PingPongIpi s) {
        s.pp.run(ROUND);
    }

    @Benchmark
    @OperationsPerInvocation(ROUND)
    public void pingpongMessage(PingPongMessage s) {
        s.pp.run(ROUND);
    }

    @Benchmark
    @OperationsPerInvocation(ROUND)
    public void pingpongLocalMessage(LocalMessage s) {
        s.pp.run(ROUND);
    }

    @Benchmark
    @OperationsPerInvocation(ROUND)
    public void sharedUpdateMessage(Update s) {
        s.delegation.run(ROUND);
    }
}
