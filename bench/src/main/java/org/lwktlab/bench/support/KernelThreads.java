package org.lwktlab.bench.support;

import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.WaitPort;

/**
 * The platform threads a benchmark's work runs on: every CPU of a booted kernel, found by asking a
 * thread on each which thread runs it, and optionally the calling (JMH) thread. Per-thread accounting
 * ({@code ThreadMXBean} CPU time or allocated bytes) over exactly these threads leaves out what the
 * rest of the JVM does meanwhile — JIT compiler threads, JMH's own threads, a flight recorder.
 */
public final class KernelThreads {
    private KernelThreads() {}

    /**
     * Thread ids of {@code kernel}'s CPUs, in CPU order, then the caller's if {@code caller}. From a
     * thread outside the kernel (it waits for each CPU's answer).
     */
    public static long[] ids(Kernel kernel, boolean caller) {
        int n = kernel.ncpus();
        long[] ids = new long[n + (caller ? 1 : 0)];
        for (int c = 0; c < n; c++) {
            final long[] id = new long[1];
            LwktThread probe = kernel.spawn(c, "thread-id-probe" + c, m -> {
                id[0] = Thread.currentThread().threadId();
                Lwkt.replymsg(m, Errno.OK);
            });
            int err = Lwkt.domsg(probe.port(), new Message(WaitPort.get()));
            if (err != Errno.OK) {
                throw new IllegalStateException("cpu " + c + " did not say which thread runs it: " + Errno.name(err));
            }
            ids[c] = id[0];
        }
        if (caller) {
            ids[n] = Thread.currentThread().threadId();
        }
        return ids;
    }
}
