package org.lwktlab.slab;

import org.agrona.concurrent.status.AtomicCounter;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * One caller's slab probes (a CPU, or {@code external} for every thread outside the kernel). A CPU's
 * counters have that CPU as their single writer ({@code incrementRelease}: a plain store, no shared
 * atomic); the external ones are written by any outside thread, so they use atomic adds — the slow path.
 * Names: {@code lwkt_slab_allocs_total}, {@code lwkt_slab_frees_total}, {@code lwkt_slab_remote_frees_total},
 * {@code lwkt_slab_remote_free_ipis_total}, {@code lwkt_slab_alloc_bytes_total},
 * {@code lwkt_slab_free_bytes_total}; labels {@code slab}, {@code allocator} (the design), {@code cpu}.
 */
final class SlabCounters {
    final AtomicCounter allocs;
    final AtomicCounter allocBytes;
    final AtomicCounter frees;
    final AtomicCounter freeBytes;
    final AtomicCounter remoteFrees;
    final AtomicCounter remoteFreeIpis;
    private final boolean shared;
    private final boolean probed;

    SlabCounters(ProbeRegistry p, Labels l, boolean shared, boolean probed) {
        this.shared = shared;
        this.probed = probed;
        allocs = p.counter("lwkt_slab_allocs_total", "Chunks allocated by this CPU", l);
        allocBytes = p.counter("lwkt_slab_alloc_bytes_total", "Bytes (size classes) allocated by this CPU", l);
        frees = p.counter("lwkt_slab_frees_total", "Frees applied to zones owned by this CPU (or stripe)", l);
        freeBytes = p.counter("lwkt_slab_free_bytes_total", "Bytes (size classes) freed into zones of this CPU", l);
        remoteFrees = p.counter("lwkt_slab_remote_frees_total",
                "Frees this CPU issued for chunks another CPU (or stripe) owns", l);
        remoteFreeIpis = p.counter("lwkt_slab_remote_free_ipis_total",
                "Passive IPIs this CPU sent to carry remote frees to their owner", l);
    }

    /** Allocations and frees are always counted (they make the leak and bytes-in-use figures); the rest only when probes are on. */
    void alloc(int bytes) {
        add(allocs, 1);
        add(allocBytes, bytes);
    }

    void free(int bytes) {
        add(frees, 1);
        add(freeBytes, bytes);
    }

    void remoteFree() {
        if (probed) {
            add(remoteFrees, 1);
        }
    }

    void remoteFreeIpi() {
        if (probed) {
            add(remoteFreeIpis, 1);
        }
    }

    private void add(AtomicCounter c, long n) {
        if (shared) {
            c.getAndAdd(n);
        } else {
            c.getAndAddRelease(n);
        }
    }
}
