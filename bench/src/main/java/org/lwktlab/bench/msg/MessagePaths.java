package org.lwktlab.bench.msg;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.lwktlab.bench.support.Flags;
import org.lwktlab.bench.support.KernelHarness;
import org.lwktlab.bench.support.KernelThreadAlloc;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.WaitPort;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
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
 * The message verbs off the CPU-to-CPU path, each against what a Java programmer would write instead,
 * in ns per request:
 * <ul>
 *   <li>{@code externalDomsg} — a thread outside the kernel {@code domsg}s a request to a thread on a
 *       one-CPU kernel (submission queue in, reply wakes the parked caller), against
 *       {@code executorSubmitGet}: {@code submit(task).get()} on a single-thread executor. Both park the
 *       caller and wake the server as their idle policies decide.</li>
 *   <li>{@code localDomsg} — on a CPU, {@code domsg} to a thread of the same CPU: the synchronous fast
 *       path, which runs the handler at once; against {@code plainCall}, the same work as a plain
 *       (not inlined) method call. {@value #LOCAL_CALLS} calls per kick.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Flags.ADD_EXPORTS, Flags.MISC, Flags.UNSAFE, Flags.NATIVE, Flags.HEAP_MIN, Flags.HEAP_MAX})
public class MessagePaths {
    /** Local calls per kick. */
    public static final int LOCAL_CALLS = 100_000;

    // ------------------------------------------------------------------ from outside the kernel

    @State(Scope.Benchmark)
    public static class External {
        KernelHarness harness;
        LwktThread echo;
        final Message request = new Message(WaitPort.get());

        @Setup(Level.Trial)
        public void boot() {
            harness = new KernelHarness("external-domsg", 1, true);
            echo = harness.kernel().spawn(0, "echo", m -> {
                m.result(m.arg() + 1);
                Lwkt.replymsg(m, Errno.OK);
            });
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            harness.close();
        }
    }

    @Benchmark
    public long externalDomsg(External s, KernelThreadAlloc alloc) {
        alloc.watch(s.harness.kernel()); // once per trial: a no-op after the first call
        alloc.op();
        final Message m = s.request;
        m.arg(m.result());
        int err = Lwkt.domsg(s.echo.port(), m);
        if (err != Errno.OK) {
            throw new IllegalStateException("echo replied " + Errno.name(err));
        }
        return m.result();
    }

    @State(Scope.Benchmark)
    public static class Executor {
        ExecutorService executor;
        /** Executor thread only. */
        long value;
        final Runnable task = () -> value++;

        @Setup(Level.Trial)
        public void start() {
            executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "executor-echo");
                t.setDaemon(true);
                return t;
            });
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            executor.shutdown();
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("executor did not stop within 10 s");
            }
        }
    }

    @Benchmark
    public Object executorSubmitGet(Executor s) throws ExecutionException, InterruptedException {
        return s.executor.submit(s.task).get();
    }

    // ------------------------------------------------------------------ on a CPU

    /** A one-CPU kernel with a driver that makes {@value #LOCAL_CALLS} local requests per kick. */
    public abstract static class LocalLoop {
        KernelHarness harness;
        LwktThread driver;
        /** Written on CPU 0 only; keeps the loop's result alive. */
        long sink;

        void boot(String name, boolean viaDomsg) {
            harness = new KernelHarness(name, 1, true);
            final LwktThread target = harness.kernel().spawn(0, "target", m -> {
                work(m);
                Lwkt.replymsg(m, Errno.OK);
            });
            final Message req = new Message(WaitPort.get());
            driver = harness.kernel().spawn(0, "driver", kick -> {
                long sum = 0;
                final long n = kick.arg();
                for (long i = 0; i < n; i++) {
                    req.arg(i);
                    if (viaDomsg) {
                        int err = Lwkt.domsg(target.port(), req);
                        if (err != Errno.OK) {
                            throw new IllegalStateException("local domsg replied " + Errno.name(err));
                        }
                    } else {
                        work(req);
                    }
                    sum += req.result();
                }
                sink = sum;
                Lwkt.replymsg(kick, Errno.OK);
            });
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            harness.close();
        }
    }

    /** The request's work: what the handler does, and what the plain call does. */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    static void work(Message m) {
        m.result(m.arg() + 1);
    }

    @State(Scope.Benchmark)
    public static class LocalDomsg extends LocalLoop {
        @Setup(Level.Trial)
        public void setUp() {
            boot("local-domsg", true);
        }
    }

    @State(Scope.Benchmark)
    public static class PlainCall extends LocalLoop {
        @Setup(Level.Trial)
        public void setUp() {
            boot("plain-call", false);
        }
    }

    @Benchmark
    @OperationsPerInvocation(LOCAL_CALLS)
    public void localDomsg(LocalDomsg s) {
        s.harness.run(s.driver, LOCAL_CALLS);
    }

    @Benchmark
    @OperationsPerInvocation(LOCAL_CALLS)
    public void plainCall(PlainCall s) {
        s.harness.run(s.driver, LOCAL_CALLS);
    }
}
