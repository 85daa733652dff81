package org.lwktlab.slab;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.LongConsumer;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The zones of one owner — a CPU in the per-CPU designs, a stripe in the mutex ones — and the
 * allocation and free paths over them: DragonFly's per-CPU {@code gd_slab} ({@code ZoneAry},
 * {@code FreeZones}, {@code NFreeZones}).
 *
 * <ul>
 *   <li>{@code heads[cls]}: the zones of class {@code cls} that have a free chunk, most recently
 *       relinked first. {@link #alloc} takes the first: pop its local free list, else its next
 *       never-used chunk ({@code z_UIndex}).</li>
 *   <li>A zone that runs out is unlinked (in {@code message-cas} it first sets {@code RSignal} and pulls
 *       in its remote list); the free that brings it back to one free chunk relinks it.</li>
 *   <li>A zone that becomes fully free — and is not the sole zone of its class, and (in
 *       {@code message-cas}) has no pin and no remote chunk pending — moves to {@code freeZones}.
 *       {@link #reclaim} returns free zones to the shared {@link PagePool} with hysteresis: only above
 *       {@code high} of them, down to {@code low}. Callers run it only where no IPI function is on the
 *       stack (the CPU's end-of-step hook; the mutex designs after a free).</li>
 * </ul>
 *
 * <p><b>Invariants.</b> Only the owner calls any method (the owning CPU's thread, or a holder of the
 * stripe lock). A zone is linked iff it is carved and has {@code nfree > 0}; {@code nfree} counts local
 * free chunks plus never-used ones, never chunks still on a remote list; a chunk is on at most one list,
 * and on a list iff its generation is even. Status codes: 0 = done, else a
 * {@link SlabMisuseException.Kind} ordinal + 1 (the caller builds the exception outside any lock).
 */
final class ZoneSet {
    static final int OK = 0;
    static final int DOUBLE_FREE = SlabMisuseException.Kind.DOUBLE_FREE.ordinal() + 1;
    static final int STALE_HANDLE = SlabMisuseException.Kind.STALE_HANDLE.ordinal() + 1;
    static final int UNKNOWN_HANDLE = SlabMisuseException.Kind.UNKNOWN_HANDLE.ordinal() + 1;

    private static final VarHandle ZONES_IN_USE;
    private static final VarHandle FREE_ZONES;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            ZONES_IN_USE = l.findVarHandle(ZoneSet.class, "zonesInUse", int.class);
            FREE_ZONES = l.findVarHandle(ZoneSet.class, "nFreeZones", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final int id;
    private final PagePool pool;
    private final int tag;
    private final boolean casRemote;
    private final int low;
    private final int high;
    private final SlabZone[] heads = new SlabZone[SizeClasses.count()];
    private SlabZone freeZones;
    private int nFreeZones; // through FREE_ZONES for readers
    private int zonesInUse; // through ZONES_IN_USE for readers
    private int zonesMax;
    private final AtomicCounter zonesTaken;
    private final AtomicCounter zonesReturned;

    ZoneSet(int id, PagePool pool, int tag, boolean casRemote, SlabConfig c, AtomicCounter zonesTaken,
            AtomicCounter zonesReturned) {
        this.id = id;
        this.pool = pool;
        this.tag = tag;
        this.casRemote = casRemote;
        this.low = c.freeZonesLow();
        this.high = c.freeZonesHigh();
        this.zonesTaken = zonesTaken;
        this.zonesReturned = zonesReturned;
    }

    // ------------------------------------------------------------------ allocation

    /** A chunk of class {@code cls}: its handle, or 0 when the arena has no zone left. */
    long alloc(int cls) {
        SlabZone z = heads[cls];
        if (z == null && (z = newZone(cls)) == null) {
            return 0;
        }
        int i = z.lhead;
        if (i >= 0) {
            char nx = z.next[i];
            if (nx == SlabZone.NIL) {
                z.lhead = -1;
                z.ltail = -1;
            } else {
                z.lhead = nx;
            }
        } else {
            i = z.uindex++;
        }
        final int g = z.gen[i] + 1;
        SlabZone.GEN.setRelease(z.gen, i, g);
        if (--z.nfree == 0) {
            exhausted(z);
        }
        return SlabHandle.make(tag, g, z.base + (long) i * z.chunkSize);
    }

    /**
     * The zone has no local chunk left. {@code message-cas}: raise {@code RSignal} (so a remote freer
     * pushing onto the empty remote list sends the wake-up IPI), then pull the remote list in; the
     * store-then-swap order pairs with the freer's push-then-reread. Unlink the zone if still empty.
     */
    private void exhausted(SlabZone z) {
        if (casRemote) {
            SlabZone.RSIGNAL.setVolatile(z, 1);
            if (pullRemote(z) > 0) {
                return;
            }
        }
        unlink(z);
    }

    private SlabZone newZone(int cls) {
        SlabZone z = freeZones;
        if (z != null) {
            freeZones = z.nextInList;
            FREE_ZONES.setOpaque(this, nFreeZones - 1);
        } else {
            z = pool.take(id);
            if (z == null) {
                return null;
            }
            zonesTaken.incrementRelease();
        }
        z.carve(cls);
        int n = zonesInUse + 1;
        ZONES_IN_USE.setOpaque(this, n);
        if (n > zonesMax) {
            zonesMax = n;
        }
        link(z);
        return z;
    }

    // ------------------------------------------------------------------ free

    /**
     * Frees chunk {@code i} of {@code z} (owned by this set). Unless {@code claimed} (the caller already
     * moved the generation from odd to even by CAS), checks and bumps the generation here. Remote chunks
     * go to the tail ({@code tail}: not cache-hot), local ones to the head (LIFO, cache-hot).
     *
     * @return {@link #OK} or a misuse status
     */
    int free(SlabZone z, int i, int hgen, boolean claimed, boolean tail) {
        if (z.retired) {
            return STALE_HANDLE;
        }
        if (i < 0 || i >= z.uindex) {
            return UNKNOWN_HANDLE;
        }
        if (!claimed) {
            final int g = z.gen[i];
            if ((g & SlabHandle.GEN_MASK) != hgen) {
                return (g & 1) == 0 && ((g - 1) & SlabHandle.GEN_MASK) == hgen ? DOUBLE_FREE : STALE_HANDLE;
            }
            SlabZone.GEN.setRelease(z.gen, i, g + 1);
        }
        if (tail && z.ltail >= 0) {
            z.next[z.ltail] = (char) i;
            z.next[i] = SlabZone.NIL;
            z.ltail = i;
        } else {
            z.next[i] = z.lhead < 0 ? SlabZone.NIL : (char) z.lhead;
            z.lhead = i;
            if (z.ltail < 0) {
                z.ltail = i;
            }
        }
        final int nf = ++z.nfree;
        if (!z.linked) {
            link(z);
        } else if (nf == z.nchunks) {
            retireIfFree(z);
        }
        return OK;
    }

    /**
     * Verifies and frees handle {@code h} on its owner: its zone must belong to this set and {@code h}
     * must point at a chunk start.
     */
    int freeHandle(long h, boolean claimed, boolean tail) {
        long off = SlabHandle.offset(h);
        int zi = (int) (off >>> pool.zoneShift);
        if (zi >= pool.zones.length) {
            return UNKNOWN_HANDLE;
        }
        SlabZone z = pool.zones[zi];
        if (z.owner() != id) {
            return STALE_HANDLE;
        }
        return free(z, z.chunkAt(off & pool.zoneMask), SlabHandle.gen(h), claimed, tail);
    }

    /** {@link #freeHandle} then {@link #reclaim}: the mutex designs' free, under the stripe lock. */
    long freeAndReclaim(long h) {
        int st = freeHandle(h, false, false);
        if (st == OK) {
            reclaim();
        }
        return st;
    }

    /**
     * Moves {@code z}'s remote list to the tail of its local list ({@code message-cas}). Returns the
     * number of chunks pulled in.
     */
    int pullRemote(SlabZone z) {
        int head = (int) SlabZone.RHEAD.getAndSet(z, -1);
        if (head < 0) {
            return 0;
        }
        int n = 1;
        int last = head;
        for (char nx; (nx = z.next[last]) != SlabZone.NIL; last = nx) {
            if (++n > z.nchunks) {
                throw new IllegalStateException("slab: remote free list of " + z + " is longer than the zone (corrupt)");
            }
        }
        if (z.ltail < 0) {
            z.lhead = head;
        } else {
            z.next[z.ltail] = (char) head;
        }
        z.ltail = last;
        z.nfree += n;
        return n;
    }

    /**
     * DragonFly's {@code kfree_remote}: the passive IPI a remote freer sent when it pushed onto an empty
     * remote list of a zone that had signalled. Drops the sender's pin (if it took one), pulls the list
     * in, relinks the zone, and retires it if it became fully free. Tolerates a spurious call (an
     * unpinned IPI for a zone this CPU no longer owns, or one already drained).
     */
    void kfreeRemote(SlabZone z, boolean pinned) {
        if (pinned) {
            SlabZone.RCOUNT.getAndAdd(z, -1);
        }
        if (z.owner() != id) {
            return;
        }
        pullRemote(z);
        relink(z);
    }

    /** After chunks came back outside {@link #free}: link the zone if it has some, retire it if all are free. */
    private void relink(SlabZone z) {
        if (z.retired) {
            return;
        }
        if (z.nfree > 0 && !z.linked) {
            link(z);
        }
        if (z.linked && z.nfree == z.nchunks) {
            retireIfFree(z);
        }
    }

    private void retireIfFree(SlabZone z) {
        if (z.nfree != z.nchunks) {
            return;
        }
        if (casRemote && (z.rcount() != 0 || z.rhead() >= 0)) {
            return; // §9.17: not while pinned or with remote chunks pending
        }
        if (heads[z.cls] == z && z.nextInList == null) {
            return; // the sole zone of its class stays, so one alloc/free pair cannot thrash the pool
        }
        unlink(z);
        z.retired = true;
        z.nextInList = freeZones;
        freeZones = z;
        FREE_ZONES.setOpaque(this, nFreeZones + 1);
        ZONES_IN_USE.setOpaque(this, zonesInUse - 1);
    }

    /**
     * Returns free zones to the shared pool: nothing while at most {@code high} are held, then all but
     * the {@code low} most recently freed. Never call from inside an IPI function.
     *
     * @return zones returned
     */
    int reclaim() {
        if (nFreeZones <= high) {
            return 0;
        }
        int kept = 0;
        int returned = 0;
        SlabZone prev = null;
        SlabZone z = freeZones;
        while (z != null) {
            SlabZone nx = z.nextInList;
            boolean pinned = casRemote && (z.rcount() != 0 || z.rhead() >= 0);
            if (kept < low || pinned) {
                kept++;
                prev = z;
            } else {
                if (prev == null) {
                    freeZones = nx;
                } else {
                    prev.nextInList = nx;
                }
                z.nextInList = null;
                pool.give(z);
                returned++;
            }
            z = nx;
        }
        FREE_ZONES.setOpaque(this, nFreeZones - returned);
        if (returned > 0) {
            zonesReturned.getAndAddRelease(returned);
        }
        return returned;
    }

    // ------------------------------------------------------------------ class lists

    private void link(SlabZone z) {
        SlabZone h = heads[z.cls];
        z.prevInList = null;
        z.nextInList = h;
        if (h != null) {
            h.prevInList = z;
        }
        heads[z.cls] = z;
        z.linked = true;
        if (casRemote) {
            SlabZone.RSIGNAL.setRelease(z, 0);
        }
    }

    private void unlink(SlabZone z) {
        SlabZone p = z.prevInList;
        SlabZone n = z.nextInList;
        if (p == null) {
            heads[z.cls] = n;
        } else {
            p.nextInList = n;
        }
        if (n != null) {
            n.prevInList = p;
        }
        z.prevInList = null;
        z.nextInList = null;
        z.linked = false;
    }

    // ------------------------------------------------------------------ reports (any thread: racy gauges)

    int zonesInUse() {
        return (int) ZONES_IN_USE.getOpaque(this);
    }

    int freeZonesHeld() {
        return (int) FREE_ZONES.getOpaque(this);
    }

    long zonesTaken() {
        return zonesTaken.getAcquire();
    }

    long zonesReturned() {
        return zonesReturned.getAcquire();
    }

    /** Most zones in use at once. Owner only (or after the owner stopped). */
    int zonesMax() {
        return zonesMax;
    }

    /**
     * DragonFly's {@code slab_cleanup}: pulls in the remote lists of linked zones ({@code message-cas}).
     * A linked zone collects remote frees silently until it runs out; one that never runs out again
     * would hold them — and never become free — without this sweep. Owner only; cost: one volatile read
     * per linked zone.
     */
    void cleanup() {
        for (SlabZone head : heads) {
            SlabZone z = head;
            while (z != null) {
                SlabZone nx = z.nextInList;
                if (z.rhead() >= 0) {
                    pullRemote(z);
                    relink(z);
                }
                z = nx;
            }
        }
    }

    /** Pulls every remote list of this set's zones in (before a leak report). Owner only. */
    void pullAllRemote() {
        for (SlabZone z : pool.zones) {
            if (z.owner() == id && z.rhead() >= 0) {
                pullRemote(z);
                relink(z);
            }
        }
    }

    /**
     * Reports every allocated chunk of this set's zones: {@code perZone} gets each zone with chunks
     * outstanding, and {@code handles} each outstanding handle. Owner only.
     */
    void outstanding(ZoneVisitor perZone, LongConsumer handles) {
        for (SlabZone z : pool.zones) {
            if (z.owner() != id) {
                continue;
            }
            int n = 0;
            for (int i = 0; i < z.uindex; i++) {
                int g = (int) SlabZone.GEN.getAcquire(z.gen, i);
                if ((g & 1) != 0) {
                    n++;
                    handles.accept(SlabHandle.make(tag, g, z.base + (long) i * z.chunkSize));
                }
            }
            if (n > 0) {
                perZone.zone(z.index, z.chunkSize, n);
            }
        }
    }

    /** Receives a zone with outstanding chunks. */
    @FunctionalInterface
    interface ZoneVisitor {
        void zone(int zone, int chunkSize, int outstanding);
    }
}
