package org.lwktlab.slab;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.status.AtomicCounter;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.ShutdownParticipant;
import org.lwktlab.lwkt.ShutdownReport;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;
import org.lwktlab.slab.SlabMisuseException.Kind;

/**
 * What the zone designs ({@code message}, {@code message-cas}, {@code mutex}, {@code mutex-striped})
 * share: the arena and its {@link PagePool}, one {@link ZoneSet} per owner, handle decoding, the
 * checks, memory access, probes and the leak report.
 *
 * <p><b>Access.</b> A handle's offset is a byte offset into one {@link MemorySegment}, so a read is a
 * bounds-checked load at {@code offset + off}. The tag is always checked (a foreign handle never
 * touches this arena). Unchecked, an offset past the chunk is not caught (the arena's bounds are);
 * checked, every access looks up the chunk and compares its generation and size.
 */
abstract class ArenaSlab extends Slab {
    final PagePool pool;
    final MemorySegment mem;
    final boolean checked;
    final ZoneSet[] sets;

    ArenaSlab(String design, Kernel kernel, SlabConfig config, int nsets, String setLabel, boolean casRemote) {
        super(design, kernel, config);
        this.pool = new PagePool(config);
        this.mem = pool.memory;
        this.checked = config.checked();
        ProbeRegistry p = kernel.probes();
        this.sets = new ZoneSet[nsets];
        for (int i = 0; i < nsets; i++) {
            Labels l = labels.and(setLabel, Integer.toString(i));
            AtomicCounter taken = p.counter("lwkt_slab_zones_taken_total", "Zones this owner took from the shared page pool", l);
            AtomicCounter returned = p.counter("lwkt_slab_zones_returned_total",
                    "Zones this owner gave back to the shared page pool", l);
            ZoneSet s = new ZoneSet(i, pool, tag, casRemote, config, taken, returned);
            sets[i] = s;
            p.gauge("lwkt_slab_zones", "Zones carved and in use by this owner", l, false, s::zonesInUse);
            p.gauge("lwkt_slab_free_zones", "Fully free zones this owner keeps before returning them (hysteresis)", l,
                    false, s::freeZonesHeld);
        }
        p.gauge("lwkt_slab_pool_zones", "Zones in the shared page pool", labels, false, pool::available);
    }

    // ------------------------------------------------------------------ decoding and checks

    /** The zone {@code h} points into; throws for a foreign or out-of-arena handle. */
    final SlabZone zoneOf(long h) {
        if (SlabHandle.tag(h) != tag) {
            throw badTag(h);
        }
        long off = SlabHandle.offset(h);
        int zi = (int) (off >>> pool.zoneShift);
        if (zi >= pool.zones.length) {
            throw misuse(Kind.UNKNOWN_HANDLE, h, "its offset lies beyond the arena (" + config.arenaBytes() + " B)", true);
        }
        return pool.zones[zi];
    }

    /** The exception for a {@link ZoneSet} status. */
    final SlabMisuseException misuse(int status, long h, boolean thrown) {
        Kind k = Kind.values()[status - 1];
        String why = switch (k) {
            case DOUBLE_FREE -> "the chunk is already free";
            case STALE_HANDLE -> "the chunk was freed and reused since this handle was made (or its zone changed hands)";
            case UNKNOWN_HANDLE -> "it does not point at a chunk this slab handed out";
            default -> k.name();
        };
        return misuse(k, h, why, thrown);
    }

    /**
     * Claims the chunk of {@code h} for freeing at the caller, by CAS of its generation from the
     * handle's (odd) one to the next (even) one: exactly one of two racing frees wins, the loser gets
     * the error. Returns the chunk index.
     */
    final int claim(SlabZone z, long h) {
        if (z.owner() < 0) {
            throw misuse(Kind.UNKNOWN_HANDLE, h, "its zone is not in use (it is back in the page pool)", true);
        }
        final int i = z.chunkAt(SlabHandle.offset(h) & pool.zoneMask);
        if (i < 0) {
            throw misuse(ZoneSet.UNKNOWN_HANDLE, h, true);
        }
        final int hgen = SlabHandle.gen(h);
        int g = (int) SlabZone.GEN.getAcquire(z.gen, i);
        while ((g & SlabHandle.GEN_MASK) == hgen && (g & 1) != 0) {
            if (SlabZone.GEN.compareAndSet(z.gen, i, g, g + 1)) {
                return i;
            }
            g = (int) SlabZone.GEN.getAcquire(z.gen, i);
        }
        throw misuse((g & 1) == 0 && ((g - 1) & SlabHandle.GEN_MASK) == hgen ? ZoneSet.DOUBLE_FREE : ZoneSet.STALE_HANDLE,
                h, true);
    }

    /** The arena offset of byte {@code off} of the chunk, checked as the mode asks. */
    private long at(long h, int off, int width) {
        if (SlabHandle.tag(h) != tag) {
            throw badTag(h);
        }
        if (checked) {
            return checkedAt(h, off, width);
        }
        return SlabHandle.offset(h) + off;
    }

    private long checkedAt(long h, int off, int width) {
        SlabZone z = zoneOf(h);
        if (z.owner() < 0) {
            throw misuse(Kind.USE_AFTER_FREE, h, "its zone was returned to the page pool", true);
        }
        int i = z.chunkAt(SlabHandle.offset(h) & pool.zoneMask);
        if (i < 0) {
            throw misuse(ZoneSet.UNKNOWN_HANDLE, h, true);
        }
        int g = (int) SlabZone.GEN.getAcquire(z.gen, i);
        if ((g & 1) == 0 || (g & SlabHandle.GEN_MASK) != SlabHandle.gen(h)) {
            throw misuse(Kind.USE_AFTER_FREE, h, (g & 1) == 0 ? "the chunk is free" : "the chunk was freed and reallocated", true);
        }
        if (off < 0 || width < 0 || (long) off + width > z.chunkSize) {
            throw outOfBounds(h, off, width, z.chunkSize);
        }
        return SlabHandle.offset(h) + off;
    }

    @Override
    public final int usableSize(long h) {
        return zoneOf(h).chunkSize;
    }

    @Override
    public final byte getByte(long h, int off) {
        return mem.get(JAVA_BYTE, at(h, off, 1));
    }

    @Override
    public final void putByte(long h, int off, byte v) {
        mem.set(JAVA_BYTE, at(h, off, 1), v);
    }

    @Override
    public final int getInt(long h, int off) {
        return mem.get(JAVA_INT_UNALIGNED, at(h, off, 4));
    }

    @Override
    public final void putInt(long h, int off, int v) {
        mem.set(JAVA_INT_UNALIGNED, at(h, off, 4), v);
    }

    @Override
    public final long getLong(long h, int off) {
        return mem.get(JAVA_LONG_UNALIGNED, at(h, off, 8));
    }

    @Override
    public final void putLong(long h, int off, long v) {
        mem.set(JAVA_LONG_UNALIGNED, at(h, off, 8), v);
    }

    @Override
    public final void copyFrom(byte[] src, int srcOff, long h, int off, int len) {
        MemorySegment.copy(src, srcOff, mem, JAVA_BYTE, at(h, off, len), len);
    }

    @Override
    public final void copyTo(long h, int off, byte[] dst, int dstOff, int len) {
        MemorySegment.copy(mem, JAVA_BYTE, at(h, off, len), dst, dstOff, len);
    }

    @Override
    public final void copy(long src, int srcOff, long dst, int dstOff, int len) {
        MemorySegment.copy(mem, at(src, srcOff, len), mem, at(dst, dstOff, len), len);
    }

    @Override
    public final void fill(long h, int off, int len, byte v) {
        mem.asSlice(at(h, off, len), len).fill(v);
    }

    @Override
    public final MemorySegment segment(long h) {
        return mem.asSlice(at(h, 0, 0), zoneOf(h).chunkSize);
    }

    // ------------------------------------------------------------------ reports

    @Override
    final long[] zoneFigures() {
        long zones = 0, held = 0, taken = 0, returned = 0;
        for (ZoneSet z : sets) {
            zones += z.zonesInUse();
            held += z.freeZonesHeld();
            taken += z.zonesTaken();
            returned += z.zonesReturned();
        }
        return new long[] {zones, held, pool.available(), taken, returned};
    }

    /** Adds the leak report (collected by {@link #collectLeaks}) and the misuse summary to {@code b}. */
    final void report(ShutdownReport.Builder b, LeakReport leaks) {
        leaks.addTo(b, this);
        misuses.addTo(b, this);
    }

    /** Lists set {@code s}'s outstanding chunks into {@code r}. On the set's owner (or under its lock). */
    static void collectLeaks(ZoneSet s, String owner, LeakReport r) {
        List<Long> handles = new ArrayList<>();
        List<int[]> zones = new ArrayList<>();
        s.outstanding((zone, size, n) -> zones.add(new int[] {zone, size, n}), handles::add);
        int k = 0;
        for (int[] z : zones) {
            List<Long> sample = handles.subList(k, Math.min(k + Math.min(z[2], LeakReport.SAMPLE), handles.size()));
            r.group(owner + ", zone " + z[0], z[1], z[2], List.copyOf(sample));
            k += z[2];
        }
    }

    /** Registers {@code p} with the kernel's shutdown. */
    final void participate(ShutdownParticipant p) {
        kernel.addShutdownParticipant(p);
    }

    @Override
    public final void close() {
        checkClosable();
        synchronized (pool) {
            if (pool.arena.scope().isAlive()) {
                closeCaches();
                pool.close();
            }
        }
    }

    /** Closes the design's object caches. */
    void closeCaches() {}
}
