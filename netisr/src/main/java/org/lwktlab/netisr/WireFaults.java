package org.lwktlab.netisr;

/**
 * What the in-memory wire does to frames, drawn from a seeded random stream per transmitting CPU:
 * each frame is independently lost with probability {@code loss}, else corrupted (one bit flipped,
 * which the receiver's checksum catches) with {@code corrupt}, duplicated with {@code dup}, and held
 * back with {@code reorder} until 1..{@code reorderDepth} later frames from the same CPU have passed
 * (or the next tick), so it arrives after them.
 *
 * @param loss         probability a frame is dropped, 0..0.9
 * @param reorder      probability a frame is held back, 0..1
 * @param reorderDepth most later frames that overtake a held one, 1..64
 * @param dup          probability a frame is delivered twice, 0..1
 * @param corrupt      probability a frame has one bit flipped, 0..0.9
 * @param seed         seed of the fault streams (CPU {@code c} uses {@code seed + c})
 */
public record WireFaults(double loss, double reorder, int reorderDepth, double dup, double corrupt, long seed) {
    /** A perfect wire. */
    public static final WireFaults NONE = new WireFaults(0, 0, 4, 0, 0, 1);

    public WireFaults {
        prob("loss", loss, 0.9);
        prob("reorder", reorder, 1);
        prob("dup", dup, 1);
        prob("corrupt", corrupt, 0.9);
        if (reorderDepth < 1 || reorderDepth > 64) {
            throw new IllegalArgumentException("net setting 'reorder.depth' must be 1..64 frames, got " + reorderDepth);
        }
    }

    private static void prob(String name, double p, double max) {
        if (!(p >= 0 && p <= max)) {
            throw new IllegalArgumentException("net setting '" + name + "' must be a probability from 0 to " + max
                    + ", got " + p);
        }
    }

    /** True if the wire does anything at all to frames. */
    public boolean any() {
        return loss > 0 || reorder > 0 || dup > 0 || corrupt > 0;
    }

    public WireFaults withLoss(double v) {
        return new WireFaults(v, reorder, reorderDepth, dup, corrupt, seed);
    }

    public WireFaults withReorder(double v) {
        return new WireFaults(loss, v, reorderDepth, dup, corrupt, seed);
    }

    public WireFaults withReorderDepth(int v) {
        return new WireFaults(loss, reorder, v, dup, corrupt, seed);
    }

    public WireFaults withDup(double v) {
        return new WireFaults(loss, reorder, reorderDepth, v, corrupt, seed);
    }

    public WireFaults withCorrupt(double v) {
        return new WireFaults(loss, reorder, reorderDepth, dup, v, seed);
    }

    public WireFaults withSeed(long v) {
        return new WireFaults(loss, reorder, reorderDepth, dup, corrupt, v);
    }
}
