/**
 * The mutex side ({@link org.lwktlab.bench.mutex.SharedUpdate}): shared cache lines updated under every
 * lock of the portfolio, against delegating the update by message to the CPU that owns the lines
 * ({@link org.lwktlab.bench.mutex.Delegation}). The message design has only won where it beats the
 * best lock.
 *
 * <p><b>Threads.</b> Lock benchmarks run on JMH's threads, one lock handle each; the delegation runs on
 * the kernel's CPUs and the JMH thread only kicks and waits.
 */
package org.lwktlab.bench.mutex;
