package org.lwktlab.slab;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.jctools.queues.MpmcArrayQueue;

/**
 * The shared page pool: the slab's off-heap arena (one zone-aligned {@link MemorySegment} from a shared
 * {@link Arena}) and the zones not owned by any CPU — DragonFly's {@code kmem} that zones come from and
 * go back to. Taking and giving back zones is rare (a zone serves thousands of allocations, and returns
 * are batched by hysteresis), so the pool is a plain lock-free MPMC queue (JCTools) of preallocated zone
 * descriptors: no allocation, no lock.
 *
 * <p><b>Invariants.</b> A zone is either in the queue (owner -1) or owned by exactly one CPU or stripe.
 * The queue's release/acquire hands a zone's descriptor from the last owner to the next.
 */
final class PagePool implements AutoCloseable {
    final Arena arena;
    final MemorySegment memory;
    final int zoneShift;
    final long zoneMask;
    final SlabZone[] zones;
    private final MpmcArrayQueue<SlabZone> free;

    PagePool(SlabConfig c) {
        int n = c.zones();
        this.zoneShift = Integer.numberOfTrailingZeros(c.zoneBytes());
        this.zoneMask = c.zoneBytes() - 1L;
        this.arena = Arena.ofShared();
        this.memory = arena.allocate(c.arenaBytes(), c.zoneBytes());
        this.zones = new SlabZone[n];
        this.free = new MpmcArrayQueue<>(Math.max(2, n));
        int maxChunks = c.zoneBytes() / SizeClasses.MIN;
        for (int i = 0; i < n; i++) {
            zones[i] = new SlabZone(i, (long) i << zoneShift, maxChunks);
            free.offer(zones[i]);
        }
    }

    /** A free zone, now owned by {@code owner}; null when every zone is in use. */
    SlabZone take(int owner) {
        SlabZone z = free.poll();
        if (z != null) {
            z.owner(owner);
        }
        return z;
    }

    /** Returns {@code z} to the pool. Its owner gives up every right to it. */
    void give(SlabZone z) {
        z.owner(-1);
        if (!free.offer(z)) {
            throw new IllegalStateException("slab page pool overflow: " + z + " returned twice");
        }
    }

    /** Zones in the pool now. */
    int available() {
        return free.size();
    }

    /** Frees the arena: every handle becomes invalid and any access fails. */
    @Override
    public void close() {
        arena.close();
    }
}
