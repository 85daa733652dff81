package org.lwktlab.slab;

/**
 * A slab's counts and gauges at one moment (sums over CPUs, read without stopping them).
 *
 * @param design         the design
 * @param allocs         chunks handed out
 * @param frees          frees applied (on the owner, for the per-CPU designs)
 * @param remoteFrees    frees issued on a CPU (or outside thread) that does not own the chunk
 * @param remoteFreeIpis passive IPIs sent to carry remote frees home ({@code message}: one per batch;
 *                       {@code message-cas}: one per empty→non-empty push onto a signalled zone)
 * @param bytesInUse     bytes in chunks handed out and not yet freed (size classes, not requests)
 * @param zonesInUse     zones carved and owned by a CPU or stripe
 * @param freeZonesHeld  fully free zones CPUs keep (hysteresis) instead of returning them
 * @param poolZones      zones in the shared page pool
 * @param zonesTaken     zones taken from the pool so far
 * @param zonesReturned  zones given back to the pool so far
 * @param misuses        misuses refused
 */
public record SlabStats(String design, long allocs, long frees, long remoteFrees, long remoteFreeIpis, long bytesInUse,
                        int zonesInUse, int freeZonesHeld, int poolZones, long zonesTaken, long zonesReturned,
                        long misuses) {
    /** Chunks handed out and not freed. */
    public long chunksInUse() {
        return allocs - frees;
    }

    /** Remote frees carried per passive IPI (batching), or NaN when no IPI was sent. */
    public double remoteFreesPerIpi() {
        return remoteFreeIpis == 0 ? Double.NaN : (double) remoteFrees / remoteFreeIpis;
    }
}
