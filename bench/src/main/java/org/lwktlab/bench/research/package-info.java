/**
 * Benchmarks of the research features: {@link org.lwktlab.bench.research.ProvenanceOverhead} (message
 * provenance costs nothing when off: the paths with the hook, provenance off, against the same paths
 * with the hook compiled out; and what it costs when on) and {@link org.lwktlab.bench.research.Chains}
 * (a syslet-style chain against one round trip per step, from outside the kernel and from an LWKT
 * thread).
 *
 * <p><b>Threads.</b> Each benchmark drives a booted kernel through a {@code KernelHarness} kick from the
 * JMH thread; everything measured runs on the kernel's CPUs, except the outside-client rows of
 * {@code Chains}, whose point is the JMH thread entering the kernel.
 */
package org.lwktlab.bench.research;
