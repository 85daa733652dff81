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
    final int tag;
    final boolean checked;
    final SlabCounters[] counters; // one per CPU, the external one last
    final ZoneSet[] sets;
    final MisuseLog misuses = new MisuseLog();
    private final String label;

    ArenaSlab(String design, Kernel kernel, SlabConfig config, int nsets, String setLabel, boolean casRemote) {
        super(design, kernel, config);
        this.pool = new PagePool(config);
        this.mem = pool.memory;
        this.tag = SlabHandle.newTag();
        this.checked = config.checked();
        this.label = "slab '" + config.name() + "' (" + design + ")";
        ProbeRegistry p = kernel.probes();
        Labels base = Labels.of("subsystem", "slab", "slab", config.name(), "allocator", design);
        int n = kernel.ncpus();
        this.counters = new SlabCounters[n + 1];
        for (int i = 0; i <= n; i++) {
            counters[i] = new SlabCounters(p, base.and("cpu", i < n ? Integer.toString(i) : "external"), i == n,
                    kernel.probesEnabled());
        }
        this.sets = new ZoneSet[nsets];
        for (int i = 0; i < nsets; i++) {
            Labels l = base.and(setLabel, Integer.toString(i));
            AtomicCounter taken = p.counter("lwkt_slab_zones_taken_total", "Zones this owner took from the shared page pool", l);
            AtomicCounter returned = p.counter("lwkt_slab_zones_returned_total",
                    "Zones this owner gave back to the shared page pool", l);
            ZoneSet s = new ZoneSet(i, pool, tag, casRemote, config, taken, returned);
            sets[i] = s;
            p.gauge("lwkt_slab_zones", "Zones carved and in use by this owner", l, false, s::zonesInUse);
            p.gauge("lwkt_slab_free_zones", "Fully free zones this owner keeps before returning them (hysteresis)", l,
                    false, s::freeZonesHeld);
        }
        p.gauge("lwkt_slab_pool_zones", "Zones in the shared page pool", base, false, pool::available);
        p.gauge("lwkt_slab_bytes_in_use", "Bytes in chunks allocated and not yet freed", base, false, this::bytesInUse);
        p.functionCounter("lwkt_slab_misuse_total", "Double frees, foreign/unknown handles, uses after free refused",
                base, false, misuses::count);
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

    final SlabMisuseException badTag(long h) {
        int t = SlabHandle.tag(h);
        if (t == 0) {
            return misuse(Kind.UNKNOWN_HANDLE, h, h == NULL ? "it is the null handle" : "it is not a slab handle (no tag)", true);
        }
        return misuse(Kind.FOREIGN_HANDLE, h, "it belongs to another slab (tag " + t + "; this slab's tag is " + tag + ")", true);
    }

    /** A misuse, recorded; {@code thrown} when the caller will get it. */
    final SlabMisuseException misuse(Kind kind, long h, String why, boolean thrown) {
        String what = switch (kind) {
            case DOUBLE_FREE -> "double free of handle ";
            case STALE_HANDLE -> "free of stale handle ";
            case FOREIGN_HANDLE -> "foreign handle ";
            case UNKNOWN_HANDLE -> "unknown handle ";
            case USE_AFTER_FREE -> "use after free of handle ";
            case OUT_OF_BOUNDS -> "out-of-bounds access through handle ";
        };
        return misuses.record(new SlabMisuseException(kind, h, label + ": " + what + SlabHandle.describe(h) + ": " + why), thrown);
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
            throw misuse(Kind.OUT_OF_BOUNDS, h, "bytes " + off + ".." + ((long) off + width) + " of a " + z.chunkSize
                    + " B chunk", true);
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

    final long bytesInUse() {
        long b = 0;
        for (SlabCounters c : counters) {
            b += c.allocBytes.getAcquire() - c.freeBytes.getAcquire();
        }
        return b;
    }

    @Override
    public final SlabStats stats() {
        long a = 0, f = 0, rf = 0, ri = 0, taken = 0, returned = 0;
        for (SlabCounters c : counters) {
            a += c.allocs.getAcquire();
            f += c.frees.getAcquire();
            rf += c.remoteFrees.getAcquire();
            ri += c.remoteFreeIpis.getAcquire();
        }
        int zones = 0, held = 0;
        for (ZoneSet s : sets) {
            zones += s.zonesInUse();
            held += s.freeZonesHeld();
            taken += s.zonesTaken();
            returned += s.zonesReturned();
        }
        return new SlabStats(design, a, f, rf, ri, bytesInUse(), zones, held, pool.available(), taken, returned,
                misuses.count());
    }

    @Override
    public final List<SlabMisuseException> misuses() {
        return misuses.first();
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
        if (kernel.running()) {
            throw new IllegalStateException(label + ": close it after Kernel.shutdown(), not while CPUs may use it");
        }
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
