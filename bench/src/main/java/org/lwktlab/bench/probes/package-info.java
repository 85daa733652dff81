/**
 * What instrumentation costs ({@link org.lwktlab.bench.probes.ProbeOverhead}): the kernel-level
 * workloads run on one kernel with its probes switched on and off in turn
 * ({@code Kernel.probes(boolean)}), so their ratio ({@link org.lwktlab.bench.probes.OnOff}) is the
 * overhead DESIGN §4 caps at 5 %. JMH's own thread only; the kernels' CPUs do the work.
 */
package org.lwktlab.bench.probes;
