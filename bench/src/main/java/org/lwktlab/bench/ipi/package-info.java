/**
 * Benchmarks of the IPI layer against its peers: one-way hand-off throughput
 * ({@link org.lwktlab.bench.ipi.OneWayThroughput}: {@code IpiQueue} and {@code IpiFabric} against
 * JCTools, Agrona, the Disruptor and the JDK's queues) and round trips
 * ({@link org.lwktlab.bench.ipi.RoundTrip}: against a raw cache-line ping-pong, the machine's limit).
 *
 * <p><b>Threads.</b> In fabric-level benchmarks the JMH thread plays CPU 0 and a
 * {@link org.lwktlab.bench.support.Spinner} (or the group's other JMH thread) plays CPU 1, so each
 * side's single-writer state is touched by exactly one thread, as in a kernel. Kernel-level benchmarks
 * run entirely on the kernel's CPUs; the JMH thread only kicks and waits.
 */
package org.lwktlab.bench.ipi;
