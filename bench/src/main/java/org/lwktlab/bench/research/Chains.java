package org.lwktlab.bench.research;

import java.util.concurrent.TimeUnit;
import org.lwktlab.bench.support.Flags;
import org.lwktlab.bench.support.KernelHarness;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.KernelConfig;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.MsgChain;
import org.lwktlab.lwkt.WaitPort;
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
 * A syslet-style chain of {@code steps} messages against one round trip per step, in ns per whole
 * operation (lower is better). Stage {@code i} lives on CPU {@code i mod 2} of a two-CPU kernel.
 * <ul>
 *   <li>From outside the kernel (the JMH thread is the client): {@code domsgPerStep} does one
 *       {@code domsg} per step — a submission, a wake-up of the CPU, a park and an unpark of the client,
 *       every step — against {@code dochain}: one submission and one wake-up of the client.</li>
 *   <li>From an LWKT thread on CPU 0 ({@value #OPS} operations per kick): {@code sendmsgPerStep} sends
 *       each step and continues in its reply (a round trip per step) against {@code sendchain}: the
 *       steps hop CPU to CPU and one completion comes back.</li>
 * </ul>
 * Messages and chains are reused: no row allocates per operation. The secondary {@code cpuNsPerOp} is
 * the CPU time per operation of the kernel's CPU threads, plus the JMH thread for the outside rows
 * ({@link KernelCpuTime}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Flags.ADD_EXPORTS, Flags.MISC, Flags.UNSAFE, Flags.NATIVE, Flags.HEAP_MIN, Flags.HEAP_MAX})
public class Chains {
    /** Operations per kick, for the in-kernel rows. */
    public static final int OPS = 5_000;
    /** Operations per invocation of the outside rows, so reading CPU time is spread thin. */
    public static final int OUTSIDE_OPS = 100;

    /** How many steps an operation has. */
    @State(Scope.Benchmark)
    public static class Length {
        @Param({"4"})
        public int steps;
    }

    /** A two-CPU kernel with {@code steps} stages that each add 1 to the operation's result. */
    public abstract static class Stages {
        int steps;
        KernelCpuTime watched;
        KernelHarness harness;
        LwktThread[] stages;

        void bootStages(String name, Length length) {
            steps = length.steps;
            if (steps < 1 || steps > MsgChain.MAX_CAPACITY) {
                throw new IllegalArgumentException("steps must be 1.." + MsgChain.MAX_CAPACITY + ", got " + steps);
            }
            harness = new KernelHarness(KernelConfig.builder(2).name(name));
            Kernel k = harness.kernel();
            stages = new LwktThread[steps];
            for (int i = 0; i < steps; i++) {
                stages[i] = k.spawn(i % 2, "stage" + i, m -> {
                    m.result(m.arg() + 1);
                    Lwkt.replymsg(m, Errno.OK);
                });
            }
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            harness.close();
        }
    }

    // ------------------------------------------------------------------ the client outside the kernel

    @State(Scope.Benchmark)
    public static class Outside extends Stages {
        Message[] msgs;
        MsgChain chain;

        @Setup(Level.Trial)
        public void setUp(Length length) {
            bootStages("chains-outside", length);
            msgs = new Message[steps];
            chain = new MsgChain(steps, WaitPort.get());
            for (int i = 0; i < steps; i++) {
                msgs[i] = new Message(WaitPort.get());
                chain.add(stages[i].port(), new Message());
            }
        }
    }

    private static void check(int err, String what) {
        if (err != Errno.OK) {
            throw new IllegalStateException(what + " replied " + Errno.name(err));
        }
    }

    /** Watches {@code s}'s kernel (and, for an outside client, the JMH thread) once; returns the CPU time now. */
    private static long cpuBefore(Stages s, KernelCpuTime cpu, boolean outside) {
        if (s.watched != cpu) {
            cpu.watch(s.harness.kernel(), outside);
            s.watched = cpu;
        }
        return cpu.now();
    }

    @Benchmark
    @OperationsPerInvocation(OUTSIDE_OPS)
    public long domsgPerStep(Outside s, KernelCpuTime cpu) {
        long before = cpuBefore(s, cpu, true);
        long sum = 0;
        for (int op = 0; op < OUTSIDE_OPS; op++) {
            for (int i = 0; i < s.steps; i++) {
                Message m = s.msgs[i];
                m.arg(i);
                check(Lwkt.domsg(s.stages[i].port(), m), "a step");
                sum += m.result();
            }
        }
        cpu.add(before, OUTSIDE_OPS);
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(OUTSIDE_OPS)
    public long dochain(Outside s, KernelCpuTime cpu) {
        long before = cpuBefore(s, cpu, true);
        long sum = 0;
        for (int op = 0; op < OUTSIDE_OPS; op++) {
            check(Lwkt.dochain(s.chain), "the chain");
            sum += s.chain.step(s.steps - 1).result();
        }
        cpu.add(before, OUTSIDE_OPS);
        return sum;
    }

    // ------------------------------------------------------------------ the client on a CPU

    /** An LWKT client on CPU 0 that runs {@code n} operations per kick, one in flight. */
    public abstract static class Inside extends Stages {
        LwktThread client;
        // CPU 0 only
        long remaining;
        Message kick;
        int cur;

        void finishOne() {
            if (--remaining == 0) {
                Lwkt.replymsg(kick, Errno.OK);
            }
        }
    }

    @State(Scope.Benchmark)
    public static class InsideSteps extends Inside {
        @Setup(Level.Trial)
        public void setUp(Length length) {
            bootStages("chains-inside-steps", length);
            final Message[] msgs = new Message[steps];
            client = harness.kernel().spawn(0, "client", m -> {
                if (m.isReply()) {
                    check(m.error(), "a step");
                    if (++cur < steps) {
                        Lwkt.sendmsg(stages[cur].port(), msgs[cur]);
                        return;
                    }
                    finishOne();
                    if (remaining == 0) {
                        return;
                    }
                } else {
                    kick = m;
                    remaining = m.arg();
                }
                cur = 0;
                Lwkt.sendmsg(stages[0].port(), msgs[0]);
            });
            for (int i = 0; i < steps; i++) {
                msgs[i] = new Message(client.port());
            }
        }
    }

    @State(Scope.Benchmark)
    public static class InsideChain extends Inside {
        @Setup(Level.Trial)
        public void setUp(Length length) {
            bootStages("chains-inside-chain", length);
            final MsgChain[] chain = new MsgChain[1];
            client = harness.kernel().spawn(0, "client", m -> {
                if (m == chain[0]) {
                    check(m.error(), "the chain");
                    finishOne();
                    if (remaining == 0) {
                        return;
                    }
                } else {
                    kick = m;
                    remaining = m.arg();
                }
                Lwkt.sendchain(chain[0]);
            });
            chain[0] = new MsgChain(steps, client.port());
            for (int i = 0; i < steps; i++) {
                chain[0].add(stages[i].port(), new Message());
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void sendmsgPerStep(InsideSteps s, KernelCpuTime cpu) {
        long before = cpuBefore(s, cpu, false);
        s.harness.run(s.client, OPS);
        cpu.add(before, OPS);
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void sendchain(InsideChain s, KernelCpuTime cpu) {
        long before = cpuBefore(s, cpu, false);
        s.harness.run(s.client, OPS);
        cpu.add(before, OPS);
    }
}
