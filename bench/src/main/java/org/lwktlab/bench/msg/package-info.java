/**
 * Benchmarks of the message verbs where they are not round trips between CPUs
 * ({@link org.lwktlab.bench.msg.MessagePaths}): {@code domsg} from a thread outside the kernel against
 * an executor hand-off, and the synchronous local {@code domsg} fast path against a plain call.
 *
 * <p><b>Threads.</b> The JMH thread is the outside thread; everything else runs on the kernel's CPUs.
 */
package org.lwktlab.bench.msg;
