package org.lwktlab.bench.slab;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.lwktlab.bench.support.Flags;
import org.lwktlab.bench.support.KernelHarness;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.slab.Slab;
import org.lwktlab.slab.SlabConfig;
import org.lwktlab.slab.workload.RemoteFreeWorkload;
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
 * The slab designs ({@link Slab#DESIGNS}) in ns per chunk, each against the others and {@code jvm}
 * (a {@code byte[]} per alloc, the collector frees) in the same run:
 * <ul>
 *   <li>{@code local}: on CPU 0 of a one-CPU kernel, {@value #LOCAL_PAIRS} times per kick: allocate
 *       {@value #SIZE} B, write and read a long in it, free it — the owner's fast path (no lock, no
 *       atomic in the per-CPU designs; an uncontended lock in the mutex ones).</li>
 *   <li>{@code remoteFree}: {@link RemoteFreeWorkload} on a two-CPU kernel — CPU 0 allocates batches of
 *       the network-stack size mix, CPU 1 checks and frees them, so every free is remote; ns per chunk
 *       allocated. The JMH thread only waits for {@value #REMOTE_CHUNKS} more chunks, parked.</li>
 * </ul>
 * With {@code -prof gc}, B/op is what the design allocates on the Java heap per chunk: the per-CPU
 * designs must be at 0 in steady state; {@code jvm} pays its chunk.
 *
 * <p><b>Invariants:</b> every chunk allocated is freed (the workload's {@code verify} and the kernel's
 * leak report are checked at tear-down, so a broken design cannot report a number quietly).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Flags.ADD_EXPORTS, Flags.MISC, Flags.UNSAFE, Flags.NATIVE, Flags.HEAP_MIN, Flags.HEAP_MAX})
public class SlabAllocFree {
    /** Alloc/free pairs per kick of {@code local}. */
    public static final int LOCAL_PAIRS = 100_000;
    /** Bytes per {@code local} chunk: a packet header. */
    public static final int SIZE = 64;
    /** Chunks per invocation of {@code remoteFree}. */
    public static final int REMOTE_CHUNKS = 20_000;
    /** How long the waiting JMH thread parks between looks (it must not compete for the two cores). */
    static final long POLL_NANOS = 20_000;
    /** A workload that allocates nothing for this long is stuck: fail rather than hang the run. */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(10);

    static SlabConfig config() {
        return SlabConfig.builder().arenaBytes(64L << 20).build();
    }

    // ------------------------------------------------------------------ local

    @State(Scope.Benchmark)
    public static class Local {
        @Param({"message", "message-cas", "mutex", "mutex-striped", "jvm"})
        public String design;

        KernelHarness harness;
        Slab slab;
        LwktThread driver;
        /** Written on CPU 0 only; keeps the loop's reads alive. */
        long sink;

        @Setup(Level.Trial)
        public void boot() {
            harness = new KernelHarness("slab-local", 1, true);
            slab = Slab.create(design, harness.kernel(), config());
            final Slab s = slab;
            driver = harness.kernel().spawn(0, "slab-driver", kick -> {
                long sum = 0;
                final long n = kick.arg();
                for (long i = 0; i < n; i++) {
                    long h = s.alloc(SIZE);
                    s.putLong(h, 0, i);
                    sum += s.getLong(h, 0);
                    s.free(h);
                }
                sink = sum;
                Lwkt.replymsg(kick, Errno.OK);
            });
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            harness.close();
            slab.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(LOCAL_PAIRS)
    public void local(Local s) {
        s.harness.run(s.driver, LOCAL_PAIRS);
    }

    // ------------------------------------------------------------------ remote free

    @State(Scope.Benchmark)
    public static class Remote {
        @Param({"message", "message-cas", "mutex", "mutex-striped", "jvm"})
        public String design;

        KernelHarness harness;
        Slab slab;
        RemoteFreeWorkload workload;

        @Setup(Level.Trial)
        public void boot() {
            harness = new KernelHarness("slab-remote", 2, true);
            slab = Slab.create(design, harness.kernel(), config());
            workload = new RemoteFreeWorkload(harness.kernel(), slab, RemoteFreeWorkload.Config.defaults(),
                    (consumer, chunks, latency) -> { });
            workload.start();
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            workload.stop(30);
            List<String> problems = workload.verify();
            harness.close();
            slab.close();
            if (!problems.isEmpty()) {
                throw new IllegalStateException("slab design " + design + " lost chunks: " + problems);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(REMOTE_CHUNKS)
    public long remoteFree(Remote s) {
        final RemoteFreeWorkload w = s.workload;
        final long until = w.allocated() + REMOTE_CHUNKS;
        long seen = w.allocated();
        long progressAt = System.nanoTime();
        long now;
        while ((now = w.allocated()) < until) {
            if (now != seen) {
                seen = now;
                progressAt = System.nanoTime();
            } else if (System.nanoTime() - progressAt > STALL_NANOS) {
                throw new IllegalStateException("slab design " + s.design + ": no chunk allocated for "
                        + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS) + " s (" + w + ")");
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return now;
    }
}
