package org.lwktlab.netisr.inet;

import java.util.Objects;

/**
 * The Internet checksum (RFC 1071, BSD's {@code in_cksum}): the 16-bit one's complement of the one's
 * complement sum of the data taken as big-endian 16-bit words, an odd last byte padded with zero.
 *
 * <p>Sums are accumulated unfolded in an {@code int}-range {@code long} and folded once at the end
 * ({@link #fold}) — RFC 1071 §2's "deferred carries" — so a header, a pseudo-header and a payload can
 * be summed piece by piece ({@code sum(..., partial)}) as long as every piece but the last has even
 * length. A receiver verifies by summing the whole segment, checksum field included: the folded sum of
 * correct data is {@code 0xffff} ({@link #verifies}).
 *
 * <p>Stateless; any thread.
 */
public final class InCksum {
    private InCksum() {}

    /** Adds {@code len} bytes from {@code b[off]} to the running sum {@code partial}. */
    public static long sum(byte[] b, int off, int len, long partial) {
        Objects.checkFromIndexSize(off, len, b.length);
        long s = partial;
        int end = off + (len & ~1);
        for (int i = off; i < end; i += 2) {
            s += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            s += (b[off + len - 1] & 0xff) << 8;
        }
        return s;
    }

    /** Adds one 16-bit word. */
    public static long word(int w, long partial) {
        return partial + (w & 0xffff);
    }

    /** Adds a 32-bit value as two 16-bit words (an IPv4 address). */
    public static long word32(int v, long partial) {
        return partial + (v >>> 16) + (v & 0xffff);
    }

    /** The TCP/UDP pseudo-header sum: source, destination, protocol, and transport length. */
    public static long pseudoHeader(int saddr, int daddr, int protocol, int length, long partial) {
        return word32(daddr, word32(saddr, partial)) + protocol + length;
    }

    /** Folds the carries of a running sum into 16 bits (one's complement addition). */
    public static int fold(long sum) {
        long s = sum;
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }

    /** The checksum to store: the one's complement of the folded sum. */
    public static int checksum(long sum) {
        return ~fold(sum) & 0xffff;
    }

    /** True if data summed <em>with</em> its checksum field folds to {@code 0xffff}. */
    public static boolean verifies(long sumIncludingChecksum) {
        return fold(sumIncludingChecksum) == 0xffff;
    }
}
