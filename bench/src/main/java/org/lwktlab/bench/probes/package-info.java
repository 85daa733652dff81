/**
 * What instrumentation costs ({@link org.lwktlab.bench.probes.ProbeOverhead}): the kernel-level
 * benchmarks with every probe on and with {@code KernelConfig.probes(false)}, in one run, so their
 * ratio is the overhead DESIGN §4 caps at 5%.
 */
package org.lwktlab.bench.probes;
