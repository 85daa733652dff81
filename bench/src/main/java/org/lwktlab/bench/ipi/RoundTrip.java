package org.lwktlab.bench.ipi;

import java.util.concurrent.TimeUnit;
import org.jctools.queues.SpscArrayQueue;
import org.lwktlab.bench.support.Driver;
import org.lwktlab.bench.support.Flags;
import org.lwktlab.bench.support.Line;
import org.lwktlab.bench.support.Spinner;
import org.lwktlab.ipi.IpiErrorHandler;
import org.lwktlab.ipi.IpiFabric;
import org.lwktlab.ipi.IpiFunction;
import org.lwktlab.ipi.IpiQueue;
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
 * One round trip between two threads on different cores, in ns: the IPI layer against the physical
 * limit of the machine and against a raw JCTools ring.
 * <ul>
 *   <li>{@code cacheLine} — the limit: the pinger writes a counter on its own cache line, the ponger
 *       spins on it and echoes it on another line. Two line transfers, nothing else.</li>
 *   <li>{@code jctoolsSpsc} — a token through a JCTools {@code SpscArrayQueue} each way.</li>
 *   <li>{@code ipiQueue} — an IPI function through a bare {@link IpiQueue} each way; the function on
 *       the far side sends the answer.</li>
 *   <li>{@code ipiFabric} — the same through {@link IpiFabric#send} and {@link IpiFabric#process}, with
 *       the wake-up flush ({@link IpiFabric#flushWakeups}) each side's CPU loop does after every step,
 *       probes on: the IPI path as the kernel uses it, minus the scheduler.</li>
 *   <li>{@code ipiKernel} / {@code lwktMessage} — inside a booted kernel ({@link KernelPingPong}):
 *       a bare IPI each way, and an LWKT message sent and replied, {@value #KERNEL_ROUNDS} round trips
 *       per kick.</li>
 * </ul>
 * In the first four, the JMH thread is the pinger (CPU 0) and a {@link Spinner} the ponger (CPU 1);
 * both poll without a pause instruction. One entry is in flight at a time, so no ring ever fills.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Flags.ADD_EXPORTS, Flags.MISC, Flags.UNSAFE, Flags.NATIVE, Flags.HEAP_MIN, Flags.HEAP_MAX})
public class RoundTrip {
    /** Round trips per kick in the kernel-level benchmarks. */
    public static final int KERNEL_ROUNDS = 20_000;
    /** Ring capacity of every ring here (the kernel default). */
    static final int CAPACITY = 256;
    static final IpiErrorHandler RETHROW = (cpu, f, arg, error) -> {
        throw new IllegalStateException("IPI function failed on cpu " + cpu, error);
    };

    // ------------------------------------------------------------------ the physical limit

    /** Two lines, one written by each side. */
    @State(Scope.Benchmark)
    public static class CacheLine {
        final Line ping = new Line();
        final Line pong = new Line();
        long seq;
        Spinner ponger;

        @Setup(Level.Trial)
        public void start() {
            ponger = new Spinner("cacheline-ponger", 1, () -> {
                long p = ping.getVolatile();
                if (p != pong.getPlain()) {
                    pong.setVolatile(p);
                }
            });
        }

        @TearDown(Level.Trial)
        public void stop() {
            ponger.close();
        }
    }

    @Benchmark
    public long cacheLine(CacheLine s, Driver d) {
        final long n = ++s.seq;
        s.ping.setVolatile(n);
        while (s.pong.getVolatile() != n) {
            // busy-poll: the echo
        }
        return n;
    }

    // ------------------------------------------------------------------ JCTools SPSC

    @State(Scope.Benchmark)
    public static class Jctools {
        static final Object TOKEN = new Object();
        final SpscArrayQueue<Object> there = new SpscArrayQueue<>(CAPACITY);
        final SpscArrayQueue<Object> back = new SpscArrayQueue<>(CAPACITY);
        Spinner ponger;

        @Setup(Level.Trial)
        public void start() {
            ponger = new Spinner("jctools-ponger", 1, () -> {
                Object o = there.relaxedPoll();
                if (o != null && !back.offer(o)) {
                    throw new IllegalStateException("ping-pong ring full with one token in flight");
                }
            });
        }

        @TearDown(Level.Trial)
        public void stop() {
            ponger.close();
        }
    }

    @Benchmark
    public Object jctoolsSpsc(Jctools s, Driver d) {
        if (!s.there.offer(Jctools.TOKEN)) {
            throw new IllegalStateException("ping-pong ring full with one token in flight");
        }
        Object o;
        while ((o = s.back.relaxedPoll()) == null) {
            // busy-poll: the echo
        }
        return o;
    }

    // ------------------------------------------------------------------ bare IpiQueue

    @State(Scope.Benchmark)
    public static class Queues {
        final IpiQueue there = new IpiQueue(CAPACITY);
        final IpiQueue back = new IpiQueue(CAPACITY);
        long seq;
        /** Written by PONG, which runs on the pinger (JMH) thread. */
        long ponged;
        Spinner ponger;

        static final IpiFunction PONG = (cpu, a, v) -> ((Queues) a).ponged = v;
        static final IpiFunction PING = (cpu, a, v) -> {
            if (!((Queues) a).back.offer(PONG, a, v)) {
                throw new IllegalStateException("ping-pong ring full with one entry in flight");
            }
        };

        @Setup(Level.Trial)
        public void start() {
            ponger = new Spinner("ipiqueue-ponger", 1, () -> there.drain(1, CAPACITY, RETHROW));
        }

        @TearDown(Level.Trial)
        public void stop() {
            ponger.close();
        }
    }

    @Benchmark
    public long ipiQueue(Queues s, Driver d) {
        final long n = ++s.seq;
        if (!s.there.offer(Queues.PING, s, n)) {
            throw new IllegalStateException("ping-pong ring full with one entry in flight");
        }
        while (s.ponged != n) {
            s.back.drain(0, CAPACITY, RETHROW);
        }
        return n;
    }

    // ------------------------------------------------------------------ IpiFabric

    @State(Scope.Benchmark)
    public static class Fabric {
        final IpiFabric fabric = new IpiFabric(IpiFabric.Config.of(2).withRingCapacity(CAPACITY));
        long seq;
        long ponged;
        Spinner ponger;

        static final IpiFunction PONG = (cpu, a, v) -> ((Fabric) a).ponged = v;
        static final IpiFunction PING = (cpu, a, v) -> ((Fabric) a).fabric.send(cpu, 0, PONG, a, v);

        @Setup(Level.Trial)
        public void start() {
            fabric.onError(RETHROW);
            ponger = new Spinner("fabric-ponger", 1, () -> {
                fabric.process(1);
                fabric.flushWakeups(1);
            });
        }

        @TearDown(Level.Trial)
        public void stop() {
            ponger.close();
        }
    }

    @Benchmark
    public long ipiFabric(Fabric s, Driver d) {
        final long n = ++s.seq;
        final IpiFabric f = s.fabric;
        f.send(0, 1, Fabric.PING, s, n);
        f.flushWakeups(0);
        while (s.ponged != n) {
            f.process(0);
        }
        return n;
    }

    // ------------------------------------------------------------------ inside a kernel

    @State(Scope.Benchmark)
    public static class KernelIpi {
        KernelPingPong pp;

        @Setup(Level.Trial)
        public void boot() {
            pp = new KernelPingPong(KernelPingPong.Design.IPI, true);
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            pp.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(KERNEL_ROUNDS)
    public void ipiKernel(KernelIpi s) {
        s.pp.run(KERNEL_ROUNDS);
    }

    @State(Scope.Benchmark)
    public static class KernelMessage {
        KernelPingPong pp;

        @Setup(Level.Trial)
        public void boot() {
            pp = new KernelPingPong(KernelPingPong.Design.MESSAGE, true);
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            pp.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(KERNEL_ROUNDS)
    public void lwktMessage(KernelMessage s) {
        s.pp.run(KERNEL_ROUNDS);
    }
}
