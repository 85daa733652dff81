package org.lwktlab.bench.research;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.lwktlab.bench.support.KernelThreads;
import org.lwktlab.lwkt.Kernel;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * CPU time per operation, reported beside JMH's wall-clock score as the secondary {@code cpuNsPerOp}:
 * the CPU time the kernel's CPU threads (and, for outside-client rows, the JMH thread) spent, divided by
 * the operations done, per iteration. On a busy machine a thread's wall time includes the time it sat
 * preempted; its CPU time does not, so this is the figure to compare when the load average is high.
 * CPU threads that spin while idle count their spinning, equally for every row of a table.
 *
 * <p>One per JMH thread ({@code Scope.Thread}); {@link #watch} once per trial, {@link #add} after each
 * measured call.
 */
@AuxCounters(AuxCounters.Type.EVENTS)
@State(Scope.Thread)
public class KernelCpuTime {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private long[] threadIds = new long[0];
    private long cpuNanos;
    private long ops;

    /** CPU nanoseconds per operation in this iteration so far. */
    public double cpuNsPerOp() {
        return ops == 0 ? 0 : (double) cpuNanos / ops;
    }

    @Setup(Level.Iteration)
    public void reset() {
        cpuNanos = 0;
        ops = 0;
    }

    /**
     * Finds the platform thread of every CPU of {@code kernel} (by asking a thread on each which thread
     * runs it) and, if {@code caller}, adds the calling thread.
     */
    public void watch(Kernel kernel, boolean caller) {
        if (!MX.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure thread CPU time");
        }
        MX.setThreadCpuTimeEnabled(true);
        threadIds = KernelThreads.ids(kernel, caller);
    }

    /** CPU nanoseconds the watched threads have used so far. */
    long now() {
        long s = 0;
        for (long id : threadIds) {
            long t = MX.getThreadCpuTime(id);
            if (t < 0) {
                throw new IllegalStateException("thread " + id + " is gone or cannot be measured");
            }
            s += t;
        }
        return s;
    }

    /** Books {@code n} operations that used the CPU time since {@code before}. */
    public void add(long before, long n) {
        cpuNanos += now() - before;
        ops += n;
    }
}
