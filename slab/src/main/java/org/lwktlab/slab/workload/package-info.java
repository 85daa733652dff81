/**
 * Load generators for the allocator, shared by the lab experiment ({@code slab-remote-free}), the tests
 * and the benchmarks, so all three measure the same pattern.
 *
 * <p><b>What it owns.</b> {@link org.lwktlab.slab.workload.RemoteFreeWorkload}: producer CPUs allocate
 * chunks of a size mix and hand them in batches to consumer CPUs, which check and free them — the
 * remote-free pattern of a network stack (the driver allocates the mbuf, the protocol thread frees it).
 *
 * <p><b>Which thread may call.</b> {@code start}, {@code stop} and the reports: any thread outside the
 * kernel. The producers and consumers are LWKT threads; their counters are single-writer and read after
 * {@code stop} has drained them.
 */
package org.lwktlab.slab.workload;
