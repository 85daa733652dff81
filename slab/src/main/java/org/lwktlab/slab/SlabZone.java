package org.lwktlab.slab;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One zone: a zone-aligned, {@code zoneBytes} slice of the arena carved into equal chunks of one size
 * class (DragonFly's {@code SLZone}). Its metadata lives here, on the Java heap, never in the chunks —
 * so a stray write through a stale handle can damage user data but never the allocator's lists.
 *
 * <p><b>Fields and who writes them.</b>
 * <ul>
 *   <li>Read-mostly ({@code owner}, {@code cls}, {@code chunkSize}, {@code magic}, {@code nchunks}): set
 *       by the owner when it carves the zone, before any handle into it escapes, so a thread that got a
 *       handle through a message sees them. {@code owner} is -1 while the zone sits in the page pool.</li>
 *   <li>Owner-only ({@code nfree}, {@code uindex}, the local free list {@code lhead}/{@code ltail}, the
 *       class-list links): the owning CPU in the per-CPU designs, the stripe lock in the mutex ones.</li>
 *   <li>Remote ({@code rhead}, {@code rsignal}, {@code rcount}; design {@code message-cas}): the
 *       lock-free remote free list {@code z_RChunks} that other CPUs CAS-push onto, and its signal/pin
 *       counters — on a cache line of their own.</li>
 *   <li>{@code gen[i]}: chunk {@code i}'s generation (odd = allocated). Written by the owner with release
 *       stores; in the designs that verify frees at the caller, claimed by CAS from any thread.
 *       {@code next[i]}: link of the local or remote free list ({@code NIL} ends a list).</li>
 * </ul>
 * The arrays are sized for the smallest class once, so re-carving a zone for another class never
 * replaces them (a stale handle then still meets the same generation array).
 */
final class SlabZone extends SlabZoneRemoteFields {
    /** Ends a free list. Chunk indices stay below it: a zone is at most 512 KiB of 16 B chunks (32768). */
    static final char NIL = 0xFFFF;
    static final VarHandle GEN = MethodHandles.arrayElementVarHandle(int[].class);
    static final VarHandle OWNER;
    static final VarHandle RHEAD;
    static final VarHandle RSIGNAL;
    static final VarHandle RCOUNT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            OWNER = l.findVarHandle(SlabZoneMostlyRead.class, "owner", int.class);
            RHEAD = l.findVarHandle(SlabZoneRemoteFields.class, "rhead", int.class);
            RSIGNAL = l.findVarHandle(SlabZoneRemoteFields.class, "rsignal", int.class);
            RCOUNT = l.findVarHandle(SlabZoneRemoteFields.class, "rcount", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private long r0, r1, r2, r3, r4, r5, r6, r7;

    SlabZone(int index, long base, int maxChunks) {
        super(index, base, maxChunks);
    }

    int owner() {
        return (int) OWNER.getAcquire(this);
    }

    void owner(int cpu) {
        OWNER.setRelease(this, cpu);
    }

    /** Prepares the zone for class {@code cls}: every chunk free, none used yet. Owner only. */
    void carve(int cls) {
        this.cls = cls;
        this.chunkSize = SizeClasses.size(cls);
        this.magic = (1L << 32) / chunkSize + 1;
        this.nchunks = zoneBytesOf() / chunkSize;
        this.nfree = nchunks;
        this.uindex = 0;
        this.lhead = -1;
        this.ltail = -1;
        this.linked = false;
        this.retired = false;
        this.nextInList = null;
        this.prevInList = null;
        RSIGNAL.setRelease(this, 0);
    }

    private int zoneBytesOf() {
        return gen.length * SizeClasses.MIN;
    }

    /**
     * The chunk index of byte {@code inZone} of the zone, or -1 if it is not the start of a chunk. A
     * multiply by a reciprocal instead of a division (exact for offsets below 2^20).
     */
    int chunkAt(long inZone) {
        int i = (int) ((inZone * magic) >>> 32);
        if ((long) i * chunkSize != inZone || i >= nchunks) {
            return -1;
        }
        return i;
    }

    int rhead() {
        return (int) RHEAD.getVolatile(this);
    }

    int rcount() {
        return (int) RCOUNT.getVolatile(this);
    }

    @Override
    public String toString() {
        return "zone " + index + " [" + chunkSize + " B]";
    }
}

abstract class SlabZonePad0 {
    @SuppressWarnings("unused")
    private long p0, p1, p2, p3, p4, p5, p6, p7;
}

/** Written at carve time, read by every freer: kept off the owner's hot line. */
abstract class SlabZoneMostlyRead extends SlabZonePad0 {
    final int index;
    final long base;
    final int[] gen;
    final char[] next;
    int owner = -1; // through OWNER: release on carve/return, acquire by freers
    int cls;
    int chunkSize;
    long magic;
    int nchunks;

    SlabZoneMostlyRead(int index, long base, int maxChunks) {
        this.index = index;
        this.base = base;
        this.gen = new int[maxChunks];
        this.next = new char[maxChunks];
    }
}

abstract class SlabZonePad1 extends SlabZoneMostlyRead {
    @SuppressWarnings("unused")
    private long p0, p1, p2, p3, p4, p5, p6, p7;

    SlabZonePad1(int index, long base, int maxChunks) {
        super(index, base, maxChunks);
    }
}

/** The owner's hot state. */
abstract class SlabZoneOwned extends SlabZonePad1 {
    int nfree;
    int uindex;
    int lhead;
    int ltail;
    boolean linked;
    /** Fully free and parked on the owner's free-zone list. */
    boolean retired;
    SlabZone nextInList;
    SlabZone prevInList;

    SlabZoneOwned(int index, long base, int maxChunks) {
        super(index, base, maxChunks);
    }
}

abstract class SlabZonePad2 extends SlabZoneOwned {
    @SuppressWarnings("unused")
    private long p0, p1, p2, p3, p4, p5, p6, p7;

    SlabZonePad2(int index, long base, int maxChunks) {
        super(index, base, maxChunks);
    }
}

/** {@code z_RChunks}, {@code z_RSignal}, {@code z_RCount}: written by remote CPUs. */
abstract class SlabZoneRemoteFields extends SlabZonePad2 {
    @SuppressWarnings("unused") // through RHEAD
    volatile int rhead = -1;
    @SuppressWarnings("unused") // through RSIGNAL
    volatile int rsignal;
    @SuppressWarnings("unused") // through RCOUNT
    volatile int rcount;

    SlabZoneRemoteFields(int index, long base, int maxChunks) {
        super(index, base, maxChunks);
    }
}
