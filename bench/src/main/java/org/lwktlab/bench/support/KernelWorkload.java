package org.lwktlab.bench.support;

import org.lwktlab.lwkt.Kernel;

/**
 * A workload driven in rounds on a kernel of its own: {@link #run} does {@code n} operations and
 * returns when they are done; {@link #close} shuts the kernel down and fails if it lost anything.
 * One driving thread at a time.
 */
public interface KernelWorkload extends AutoCloseable {
    /** Does {@code n} operations and returns when they are done. */
    void run(long n);

    /** The kernel the operations run on. */
    Kernel kernel();

    @Override
    void close();
}
