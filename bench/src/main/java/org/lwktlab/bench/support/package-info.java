/**
 * What every benchmark shares: the JVM flags each JMH fork needs ({@link org.lwktlab.bench.support.Flags}),
 * the bench-wide settings ({@link org.lwktlab.bench.support.BenchSettings}: pinning), the far side of a
 * two-thread benchmark ({@link org.lwktlab.bench.support.Spinner}), and a booted kernel driven from the
 * JMH thread ({@link org.lwktlab.bench.support.KernelHarness}).
 *
 * <p><b>Which thread may call.</b> Set-up and tear-down run on JMH's set-up thread; a
 * {@link org.lwktlab.bench.support.Spinner}'s body runs only on its own thread; a harness's
 * {@code run} only on one JMH thread at a time.
 */
package org.lwktlab.bench.support;
