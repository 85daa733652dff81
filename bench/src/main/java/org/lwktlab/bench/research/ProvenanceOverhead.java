package org.lwktlab.bench.research;

import java.util.concurrent.TimeUnit;
import org.lwktlab.bench.support.Flags;
import org.lwktlab.bench.support.KernelHarness;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.KernelConfig;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
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
 * What {@code --debug provenance} costs, in ns per request/reply round trip between two LWKT threads
 * (lower is better): every send, dispatch and reply passes a provenance hook.
 * <ul>
 *   <li>{@code compiledOut} — the peer: the same code in a JVM started with
 *       {@code -Dlwkt.provenance.disabled=true}, where every hook folds away at JIT time;</li>
 *   <li>{@code off} — provenance off, as every kernel runs by default: the hooks are there and test a
 *       null field. {@code off / compiledOut} ≈ 1 is the "no cost when off" claim;</li>
 *   <li>{@code on} — provenance on: a stack walk and an origin per send.</li>
 * </ul>
 * {@code cpus=1}: both threads on one CPU (the hooks dominate); {@code cpus=2}: the echo on the other
 * CPU (a real IPI round trip around the same hooks). {@value #ROUND} round trips per kick. The
 * secondary {@code cpuNsPerOp} is the CPU time of the kernel's CPU threads per round trip
 * ({@link KernelCpuTime}), the steadier figure on a loaded machine.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Flags.ADD_EXPORTS, Flags.MISC, Flags.UNSAFE, Flags.NATIVE, Flags.HEAP_MIN, Flags.HEAP_MAX})
public class ProvenanceOverhead {
    /** Round trips per kick. */
    public static final int ROUND = 20_000;
    /**
     * The JVM switch that compiles provenance out. A prepend, not an append: {@code bin/lab bench}
     * replaces every fork's appended flags with its own, and would drop it.
     */
    static final String COMPILED_OUT = "-Dlwkt.provenance.disabled=true";

    /** Where the echo thread lives. */
    @State(Scope.Benchmark)
    public static class Placement {
        /** 1: both threads on CPU 0; 2: the echo on CPU 1. */
        @Param({"1", "2"})
        public int cpus;
    }

    /** A driver that sends {@code n} requests, one at a time, to an echo thread, continuing in each reply. */
    public abstract static class Loop {
        KernelHarness harness;
        KernelCpuTime watched;
        LwktThread driver;
        // driver's CPU only
        private long remaining;
        private Message kick;

        void boot(Placement where, boolean provenance) {
            final int cpus = where.cpus;
            if (cpus < 1 || cpus > 2) {
                throw new IllegalArgumentException("cpus must be 1 or 2, got " + cpus);
            }
            KernelConfig.Builder b = KernelConfig.builder(cpus).name("provenance-" + provenance);
            if (provenance) {
                b.debug(KernelConfig.Debug.PROVENANCE);
            }
            harness = new KernelHarness(b);
            LwktThread echo = harness.kernel().spawn(cpus - 1, "echo", m -> Lwkt.replymsg(m, Errno.OK));
            final Message[] ping = new Message[1];
            driver = harness.kernel().spawn(0, "driver", m -> {
                if (m == ping[0]) {
                    if (--remaining == 0) {
                        Lwkt.replymsg(kick, Errno.OK);
                        return;
                    }
                } else {
                    kick = m;
                    remaining = m.arg();
                }
                Lwkt.sendmsg(echo.port(), ping[0]);
            });
            ping[0] = new Message(driver.port());
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            harness.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Off extends Loop {
        @Setup(Level.Trial)
        public void setUp(Placement where) {
            boot(where, false);
        }
    }

    @State(Scope.Benchmark)
    public static class CompiledOut extends Loop {
        @Setup(Level.Trial)
        public void setUp(Placement where) {
            if (!Boolean.getBoolean("lwkt.provenance.disabled")) {
                throw new IllegalStateException("the compiledOut fork runs without " + COMPILED_OUT
                        + ", so it would measure the hooks it is the peer of");
            }
            boot(where, false);
        }
    }

    @State(Scope.Benchmark)
    public static class On extends Loop {
        @Setup(Level.Trial)
        public void setUp(Placement where) {
            boot(where, true);
        }
    }

    private static void round(Loop s, KernelCpuTime cpu) {
        if (s.watched != cpu) { // one JMH thread, one KernelCpuTime: watch its kernel once
            cpu.watch(s.harness.kernel(), false);
            s.watched = cpu;
        }
        long before = cpu.now();
        s.harness.run(s.driver, ROUND);
        cpu.add(before, ROUND);
    }

    @Benchmark
    @OperationsPerInvocation(ROUND)
    @Fork(value = 1, jvmArgsPrepend = COMPILED_OUT,
            jvmArgsAppend = {Flags.ADD_EXPORTS, Flags.MISC, Flags.UNSAFE, Flags.NATIVE, Flags.HEAP_MIN, Flags.HEAP_MAX})
    public void compiledOut(CompiledOut s, KernelCpuTime cpu) {
        round(s, cpu);
    }

    @Benchmark
    @OperationsPerInvocation(ROUND)
    public void off(Off s, KernelCpuTime cpu) {
        round(s, cpu);
    }

    @Benchmark
    @OperationsPerInvocation(ROUND)
    public void on(On s, KernelCpuTime cpu) {
        round(s, cpu);
    }
}
