/**
 * The slab allocator's designs side by side ({@link org.lwktlab.bench.slab.SlabAllocFree}): local
 * alloc/free on a CPU, and the remote-free pattern of a network stack, each design against the others
 * and the JVM's own allocator in one run. JMH threads only start the work and wait; every slab call is
 * made on a kernel CPU, the slab's fast path.
 */
package org.lwktlab.bench.slab;
