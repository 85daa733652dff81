package org.lwktlab.slab;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bits of a slab handle: what {@link Slab#alloc} returns instead of a pointer.
 * <pre>
 *   63   62 ........ 48   47 .... 40   39 ..................... 0
 *   0    generation (15)  slab tag (8)  offset in the arena (40)
 * </pre>
 * <ul>
 *   <li><b>offset</b>: byte offset of the chunk in the slab's arena (the {@code jvm} design: a slot
 *       number). The arena is zone-aligned, so {@code offset >>> zoneShift} is the zone, as DragonFly's
 *       {@code ptr & ZoneMask} finds a zone's header.</li>
 *   <li><b>tag</b>: which {@link Slab} made it (1..255, never 0), so a handle from another slab — or a
 *       number that never was a handle — is refused as foreign instead of freeing someone else's chunk.</li>
 *   <li><b>generation</b>: the chunk's generation when handed out. A chunk's generation is odd while it
 *       is allocated and even while free; every alloc and every free adds one. A handle whose generation
 *       no longer matches its chunk is a double free or a stale handle (use after free). Fifteen bits:
 *       a stale handle is caught unless its chunk went through exactly a multiple of 16384 alloc/free
 *       cycles since — and a plain double free (no reuse in between) is always caught.</li>
 * </ul>
 * A valid handle is never 0, so 0 serves as the null handle ({@link Slab#tryAlloc} returns it).
 */
final class SlabHandle {
    static final int OFFSET_BITS = 40;
    static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;
    static final int TAG_SHIFT = 40;
    static final int GEN_SHIFT = 48;
    static final int GEN_MASK = 0x7FFF;

    private static final AtomicInteger NEXT_TAG = new AtomicInteger();

    private SlabHandle() {}

    /** A fresh tag for a new slab, 1..255 (recycled after 255 slabs: foreign detection is between live ones). */
    static int newTag() {
        return NEXT_TAG.getAndIncrement() % 255 + 1;
    }

    static long make(int tag, int gen, long offset) {
        return ((long) (gen & GEN_MASK) << GEN_SHIFT) | ((long) tag << TAG_SHIFT) | offset;
    }

    static int tag(long h) {
        return (int) (h >>> TAG_SHIFT) & 0xFF;
    }

    static int gen(long h) {
        return (int) (h >>> GEN_SHIFT) & GEN_MASK;
    }

    static long offset(long h) {
        return h & OFFSET_MASK;
    }

    /** {@code 0x...} with its parts, for error messages and leak reports. */
    static String describe(long h) {
        return String.format("0x%016x (tag %d, offset %d, generation %d)", h, tag(h), offset(h), gen(h));
    }
}
