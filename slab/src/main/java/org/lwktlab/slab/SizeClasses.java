package org.lwktlab.slab;

/**
 * The size classes of {@code kmalloc} ({@code kern_slaballoc.c}'s {@code zoneindex}): 16 B steps up to
 * 128 B, then four classes per power of two up to 8 KiB, so internal waste stays under 25 %. Every class
 * is a multiple of 16 B, so a 16-byte granular table maps a request to its class in one load.
 *
 * <p><b>Invariants.</b> Classes are strictly increasing; {@link #PAGE} (4096 B) is a class, and because
 * zones are zone-aligned and 4096 divides the zone size, its chunks are page-aligned (the page class).
 * Immutable after class initialisation: any thread may read.
 */
final class SizeClasses {
    /** Smallest chunk. */
    static final int MIN = 16;
    /** Largest request a zone serves. */
    static final int MAX = 8192;
    /** The page class. */
    static final int PAGE = 4096;

    private static final int[] SIZE;
    private static final byte[] LOOKUP = new byte[MAX / 16];

    static {
        int[] s = new int[64];
        int n = 0;
        for (int c = 16; c <= 128; c += 16) {
            s[n++] = c;
        }
        for (int base = 128; base < MAX; base <<= 1) {
            for (int q = 1; q <= 4; q++) {
                s[n++] = base + q * (base / 4);
            }
        }
        SIZE = java.util.Arrays.copyOf(s, n);
        int cls = 0;
        for (int i = 0; i < LOOKUP.length; i++) {
            int size = (i + 1) * 16;
            while (SIZE[cls] < size) {
                cls++;
            }
            LOOKUP[i] = (byte) cls;
        }
    }

    private SizeClasses() {}

    /** Number of classes. */
    static int count() {
        return SIZE.length;
    }

    /** Chunk size of class {@code cls}. */
    static int size(int cls) {
        return SIZE[cls];
    }

    /** The class serving {@code size} bytes, or -1 when {@code size} is outside 1..{@link #MAX}. */
    static int classOf(int size) {
        if (size < 1 || size > MAX) {
            return -1;
        }
        return LOOKUP[(size - 1) >>> 4];
    }

    /** Every class size, in order (for reports). */
    static int[] sizes() {
        return SIZE.clone();
    }
}
