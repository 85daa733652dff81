package org.lwktlab.bench.mutex;

import java.util.concurrent.TimeUnit;
import org.lwktlab.bench.support.Driver;
import org.lwktlab.bench.support.Flags;
import org.lwktlab.lwkt.lock.LockKind;
import org.lwktlab.lwkt.lock.ProbedLock;
import org.lwktlab.lwkt.lock.Section;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Shared update, in updates per second across the machine: every core's thread bumps {@code lines}
 * shared cache lines
 * <ul>
 *   <li>{@code mutex}: in place, under each lock of the portfolio ({@code lock}: synchronized,
 *       reentrant, reentrant-fair, stamped, ttas, mcs, clh, flat-combining), one JMH thread per core,
 *       each through its own probed handle;</li>
 *   <li>{@code message}: by delegation ({@link Delegation}) — a client per CPU sends the update to the
 *       CPU that owns the lines, {@code window} in flight, {@value #ROUND} updates per round.</li>
 * </ul>
 * The fair opponent of {@code message} is the best of the {@code mutex} rows, not any one of them.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Flags.ADD_EXPORTS, Flags.MISC, Flags.UNSAFE, Flags.NATIVE, Flags.HEAP_MIN, Flags.HEAP_MAX})
public class SharedUpdate {
    /** Updates per delegation round. */
    public static final int ROUND = 20_000;

    /** What every design shares: how many lines an update touches. */
    @State(Scope.Benchmark)
    public static class Lines {
        @Param({"1", "16"})
        public int lines;
    }

    // ------------------------------------------------------------------ mutex

    @State(Scope.Benchmark)
    public static class Mutex {
        static final Section UPDATE = (state, arg) -> {
            ((SharedLines) state).update();
            return 0;
        };

        @Param({"synchronized", "reentrant", "reentrant-fair", "stamped", "ttas", "mcs", "clh", "flat-combining"})
        public String lock;

        ProbedLock probed;
        SharedLines shared;

        @Setup(Level.Trial)
        public void create(Lines l) {
            shared = new SharedLines(l.lines);
            probed = ProbedLock.create(LockKind.parse(lock), "shared-update", ProbeRegistry.inMemory(), Labels.empty());
        }

        @TearDown(Level.Trial)
        public void check() {
            shared.check();
        }
    }

    /** One JMH thread's handle on the lock. */
    @State(Scope.Thread)
    public static class Handle {
        ProbedLock.Handle h;

        @Setup(Level.Trial)
        public void take(Mutex m) {
            h = m.probed.handle();
        }
    }

    @Benchmark
    @Threads(Threads.MAX)
    public long mutex(Mutex m, Handle h, Driver d) {
        return h.h.locked(Mutex.UPDATE, m.shared, 0);
    }

    // ------------------------------------------------------------------ message

    @State(Scope.Benchmark)
    public static class Message {
        @Param({"1", "16"})
        public int window;

        Delegation delegation;

        @Setup(Level.Trial)
        public void boot(Lines l) {
            delegation = new Delegation(l.lines, window, true);
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            delegation.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROUND)
    public void message(Message s) {
        s.delegation.run(ROUND);
    }
}
