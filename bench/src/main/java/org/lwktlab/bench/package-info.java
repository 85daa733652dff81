/**
 * {@code bin/lab bench}: the JMH benchmarks of LWKT Lab, each beside its peer (raw JCTools and Agrona
 * rings, the Disruptor, the JDK's queues and executors, the lock portfolio, a raw cache-line ping-pong
 * as the machine's limit), and the report that turns one run into medians, ratios and the DESIGN §6
 * targets ({@link org.lwktlab.bench.BenchMain}, {@link org.lwktlab.bench.BenchReport}).
 *
 * <p><b>What it owns.</b> The benchmark classes in the sub-packages ({@code ipi}, {@code msg},
 * {@code mutex}, {@code probes}), their shared harness ({@code support}), and the table writer here. It
 * changes nothing it measures.
 *
 * <p><b>Which thread may call.</b> {@link org.lwktlab.bench.BenchMain} runs on the launcher's main
 * thread; JMH runs each benchmark in a forked JVM. {@link org.lwktlab.bench.BenchReport} is a pure
 * function of its results.
 */
package org.lwktlab.bench;
