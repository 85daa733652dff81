package org.lwktlab.slab;

import java.util.Objects;
import org.lwktlab.lwkt.lock.LockKind;

/**
 * Settings of a {@link Slab}. Every design reads the ones that concern it and ignores the rest, so one
 * configuration drives a fair comparison.
 *
 * @param name             the slab's name (label {@code slab} on its probes, title of its leak report)
 * @param arenaBytes       off-heap memory carved into zones; a multiple of {@code zoneBytes}
 * @param zoneBytes        zone size, a power of two from 32 KiB to 512 KiB (DragonFly: 32–128 KiB)
 * @param checked          verify every free at the caller and every read/write against the chunk's
 *                         generation and size (catches use after free and overruns; costs an atomic per
 *                         free and a lookup per access)
 * @param remoteBatch      {@code message}: frees to one owner gathered before a passive IPI carries them
 * @param freeZonesLow     a CPU (or stripe) that returns zones keeps this many fully free ones
 * @param freeZonesHigh    a CPU (or stripe) returns free zones to the shared pool only above this many
 *                         (hysteresis: returns happen in bursts, not on every free/alloc flip)
 * @param lock             {@code mutex}, {@code mutex-striped}: the lock from the portfolio
 * @param stripes          {@code mutex-striped}: number of stripes; 0 = one per CPU
 * @param jvmSlots         {@code jvm}: live allocations at most (its handle table)
 * @param magazineCapacity rounds per magazine of the slab's internal {@link ObjCache}s
 */
public record SlabConfig(String name, long arenaBytes, int zoneBytes, boolean checked, int remoteBatch,
                         int freeZonesLow, int freeZonesHigh, LockKind lock, int stripes, int jvmSlots,
                         int magazineCapacity) {

    public SlabConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lock, "lock");
        if (name.isBlank()) {
            throw new IllegalArgumentException("slab name must not be blank");
        }
        if (zoneBytes < 32 * 1024 || zoneBytes > 512 * 1024 || Integer.bitCount(zoneBytes) != 1) {
            throw new IllegalArgumentException("slab zoneBytes must be a power of two from 32768 to 524288, got " + zoneBytes);
        }
        if (arenaBytes < zoneBytes || arenaBytes % zoneBytes != 0) {
            throw new IllegalArgumentException("slab arenaBytes must be a positive multiple of zoneBytes (" + zoneBytes
                    + "), got " + arenaBytes);
        }
        if (arenaBytes > SlabHandle.OFFSET_MASK + 1 || arenaBytes / zoneBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("slab arenaBytes " + arenaBytes + " is too large (at most "
                    + (SlabHandle.OFFSET_MASK + 1) + " bytes)");
        }
        if (remoteBatch < 1 || remoteBatch > 4096) {
            throw new IllegalArgumentException("slab remoteBatch must be 1..4096 frees per IPI, got " + remoteBatch);
        }
        if (freeZonesLow < 0 || freeZonesHigh < freeZonesLow) {
            throw new IllegalArgumentException("slab free-zone hysteresis needs 0 <= freeZonesLow <= freeZonesHigh, got low "
                    + freeZonesLow + ", high " + freeZonesHigh);
        }
        if (stripes < 0 || stripes > 1024) {
            throw new IllegalArgumentException("slab stripes must be 0 (one per CPU) .. 1024, got " + stripes);
        }
        if (jvmSlots < 1 || jvmSlots > SlabHandle.OFFSET_MASK) {
            throw new IllegalArgumentException("slab jvmSlots must be >= 1, got " + jvmSlots);
        }
        if (magazineCapacity < 1 || magazineCapacity > 4096) {
            throw new IllegalArgumentException("slab magazineCapacity must be 1..4096, got " + magazineCapacity);
        }
    }

    /** Defaults: 64 MiB arena of 64 KiB zones, unchecked, 64 frees per IPI, keep 2..8 free zones, reentrant lock. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static SlabConfig defaults() {
        return builder().build();
    }

    /** Number of zones in the arena. */
    public int zones() {
        return (int) (arenaBytes / zoneBytes);
    }

    /** Builds a {@link SlabConfig}; values are validated by {@link #build()}. */
    public static final class Builder {
        private String name = "slab";
        private long arenaBytes = 64L << 20;
        private int zoneBytes = 64 << 10;
        private boolean checked;
        private int remoteBatch = 64;
        private int freeZonesLow = 2;
        private int freeZonesHigh = 8;
        private LockKind lock = LockKind.REENTRANT;
        private int stripes;
        private int jvmSlots = 1 << 20;
        private int magazineCapacity = 32;

        private Builder() {}

        public Builder name(String v) {
            name = v;
            return this;
        }

        public Builder arenaBytes(long v) {
            arenaBytes = v;
            return this;
        }

        public Builder zoneBytes(int v) {
            zoneBytes = v;
            return this;
        }

        public Builder checked(boolean v) {
            checked = v;
            return this;
        }

        public Builder remoteBatch(int v) {
            remoteBatch = v;
            return this;
        }

        /** Hysteresis of zone return: keep {@code low} free zones, return only above {@code high}. */
        public Builder freeZones(int low, int high) {
            freeZonesLow = low;
            freeZonesHigh = high;
            return this;
        }

        public Builder lock(LockKind v) {
            lock = v;
            return this;
        }

        public Builder stripes(int v) {
            stripes = v;
            return this;
        }

        public Builder jvmSlots(int v) {
            jvmSlots = v;
            return this;
        }

        public Builder magazineCapacity(int v) {
            magazineCapacity = v;
            return this;
        }

        public SlabConfig build() {
            return new SlabConfig(name, arenaBytes, zoneBytes, checked, remoteBatch, freeZonesLow, freeZonesHigh, lock,
                    stripes, jvmSlots, magazineCapacity);
        }
    }
}
