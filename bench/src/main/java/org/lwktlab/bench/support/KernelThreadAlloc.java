package org.lwktlab.bench.support;

import java.lang.management.ManagementFactory;
import org.lwktlab.lwkt.Kernel;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Bytes allocated per operation by the threads that do the work — the kernel's CPU threads and the
 * calling JMH thread — reported beside JMH's score as the secondary {@code threadBytesPerOp}.
 *
 * <p>Why beside {@code -prof gc}: its {@code gc.alloc.rate.norm} divides what <em>every</em> thread of the
 * JVM allocated by the operations done. A benchmark that does a few thousand operations a second (an
 * outside thread's {@code domsg} parks and is woken each time) then books the JIT compiler's and JMH's
 * own allocations to the message path: about 1 B/op with nothing allocated on the path. This counter
 * reads {@code getThreadAllocatedBytes} of the watched threads only, at the start and the end of each
 * iteration; between the two, a benchmark only counts its calls ({@link #op}).
 *
 * <p>One per JMH thread ({@code Scope.Thread}); {@link #watch} once per trial.
 */
@AuxCounters(AuxCounters.Type.EVENTS)
@State(Scope.Thread)
public class KernelThreadAlloc {
    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private long[] threadIds = new long[0];
    private Kernel watched;
    private long start = -1;
    /** The watched threads' total at the end of the iteration, or -1 while it runs. */
    private long end = -1;
    private long ops;

    /**
     * Watches {@code kernel}'s CPU threads and the calling thread from now on; a no-op once it watches
     * that kernel (so a benchmark may call it on every invocation).
     */
    public void watch(Kernel kernel) {
        if (watched == kernel) {
            return;
        }
        if (!MX.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM cannot count the bytes a thread allocates");
        }
        MX.setThreadAllocatedMemoryEnabled(true);
        threadIds = KernelThreads.ids(kernel, true);
        watched = kernel;
        start = allocated();
        ops = 0;
    }

    private boolean watching() {
        return threadIds.length != 0;
    }

    @Setup(Level.Iteration)
    public void reset() {
        if (watching()) {
            start = allocated();
        }
        end = -1;
        ops = 0;
    }

    /**
     * Freezes the iteration's total while the kernel still runs: JMH may collect the result after the
     * last iteration's trial teardown has shut the kernel down and its CPU threads are gone.
     */
    @TearDown(Level.Iteration)
    public void freeze() {
        if (watching()) {
            end = allocated();
        }
    }

    /** Books one operation. */
    public void op() {
        ops++;
    }

    /** Bytes the watched threads allocated per operation in this iteration so far. */
    public double threadBytesPerOp() {
        if (ops == 0 || !watching()) {
            return 0;
        }
        return (double) ((end >= 0 ? end : allocated()) - start) / ops;
    }

    private long allocated() {
        long s = 0;
        for (long id : threadIds) {
            long b = MX.getThreadAllocatedBytes(id);
            if (b < 0) {
                throw new IllegalStateException("thread " + id + " is gone or its allocation cannot be counted");
            }
            s += b;
        }
        return s;
    }
}
