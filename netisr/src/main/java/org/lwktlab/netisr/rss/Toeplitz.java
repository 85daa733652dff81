package org.lwktlab.netisr.rss;

import java.util.Arrays;
import java.util.Objects;

/**
 * The Toeplitz hash NICs use for receive-side scaling (Microsoft's RSS specification; DragonFly's
 * {@code sys/net/toeplitz.c}). Every set bit {@code i} of the input (most significant bit of byte 0
 * first) XORs in the 32 key bits starting at key bit {@code i}.
 *
 * <p>For the TCP/IPv4 4-tuple the input is 12 bytes — source address, destination address, source
 * port, destination port, in network byte order — so a per-position table of each byte value's
 * contribution ({@code 12 × 256} ints, DragonFly's {@code toeplitz_cache}) turns the hash into 12
 * lookups and XORs: {@link #hash4}, the hot path, allocates nothing.
 *
 * <p><b>Symmetric keys.</b> A key whose 16-bit pattern repeats ({@link #symmetricKey()}: 0x6d,0x5a,
 * as DragonFly seeds it) gives the same 32-bit window at bit {@code i} and bit {@code i+16k}; swapping
 * the addresses moves their bits by 32 and swapping the ports moves theirs by 16, so both directions
 * of a flow hash alike and land on one CPU.
 *
 * <p>Immutable and thread-safe.
 */
public final class Toeplitz {
    /** The 40-byte key of Microsoft's RSS verification suite (also most NICs' default). */
    private static final byte[] MICROSOFT_KEY = bytes(
            0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
            0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
            0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa);

    /** Bytes of a TCP/IPv4 4-tuple input. */
    public static final int TUPLE4_BYTES = 12;

    private final byte[] key;
    /** cache[pos * 256 + value]: the contribution of byte {@code value} at input position {@code pos}. */
    private final int[] cache;

    /**
     * A hasher for {@code key}, which must be at least 16 bytes (12 input bytes need 12 + 4).
     */
    public Toeplitz(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length < TUPLE4_BYTES + 4) {
            throw new IllegalArgumentException("a Toeplitz key for the TCP/IPv4 4-tuple needs at least "
                    + (TUPLE4_BYTES + 4) + " bytes, got " + key.length);
        }
        this.key = key.clone();
        this.cache = new int[TUPLE4_BYTES * 256];
        byte[] one = new byte[TUPLE4_BYTES];
        for (int pos = 0; pos < TUPLE4_BYTES; pos++) {
            for (int v = 0; v < 256; v++) {
                Arrays.fill(one, (byte) 0);
                one[pos] = (byte) v;
                cache[pos * 256 + v] = hash(one, 0, TUPLE4_BYTES);
            }
        }
    }

    /** The standard 40-byte key of Microsoft's verification suite. */
    public static byte[] microsoftKey() {
        return MICROSOFT_KEY.clone();
    }

    /** A 40-byte key repeating 0x6d,0x5a: direction-symmetric, as DragonFly builds its key. */
    public static byte[] symmetricKey() {
        byte[] k = new byte[40];
        for (int i = 0; i < k.length; i += 2) {
            k[i] = 0x6d;
            k[i + 1] = 0x5a;
        }
        return k;
    }

    /** A copy of the key. */
    public byte[] key() {
        return key.clone();
    }

    /**
     * The hash of {@code len} input bytes from {@code in[off]}, bit by bit (the specification's
     * algorithm; {@link #hash4} is the fast equivalent for 4-tuples).
     *
     * @throws IllegalArgumentException if the key is too short for the input ({@code len + 4} bytes)
     */
    public int hash(byte[] in, int off, int len) {
        Objects.checkFromIndexSize(off, len, in.length);
        if (len + 4 > key.length) {
            throw new IllegalArgumentException("input of " + len + " bytes needs a key of at least " + (len + 4)
                    + " bytes; this key has " + key.length);
        }
        int window = ((key[0] & 0xff) << 24) | ((key[1] & 0xff) << 16) | ((key[2] & 0xff) << 8) | (key[3] & 0xff);
        int result = 0;
        for (int i = 0; i < len; i++) {
            int b = in[off + i] & 0xff;
            int next = key[i + 4] & 0xff;
            for (int bit = 7; bit >= 0; bit--) {
                if ((b & (1 << bit)) != 0) {
                    result ^= window;
                }
                window = (window << 1) | ((next >>> bit) & 1);
            }
        }
        return result;
    }

    /**
     * The hash of the TCP/IPv4 4-tuple {@code (saddr, daddr, sport, dport)} as a NIC computes it.
     * Addresses are IPv4 addresses as ints ({@code 10.0.0.1 = 0x0a000001}); ports are 0..65535.
     */
    public int hash4(int saddr, int daddr, int sport, int dport) {
        final int[] c = cache;
        return c[(saddr >>> 24)] ^ c[256 + ((saddr >>> 16) & 0xff)] ^ c[512 + ((saddr >>> 8) & 0xff)]
                ^ c[768 + (saddr & 0xff)]
                ^ c[1024 + (daddr >>> 24)] ^ c[1280 + ((daddr >>> 16) & 0xff)] ^ c[1536 + ((daddr >>> 8) & 0xff)]
                ^ c[1792 + (daddr & 0xff)]
                ^ c[2048 + ((sport >>> 8) & 0xff)] ^ c[2304 + (sport & 0xff)]
                ^ c[2560 + ((dport >>> 8) & 0xff)] ^ c[2816 + (dport & 0xff)];
    }

    /** The hash of the address pair alone (the IPv4 2-tuple), as NICs hash non-TCP traffic. */
    public int hash2(int saddr, int daddr) {
        byte[] in = {(byte) (saddr >>> 24), (byte) (saddr >>> 16), (byte) (saddr >>> 8), (byte) saddr,
            (byte) (daddr >>> 24), (byte) (daddr >>> 16), (byte) (daddr >>> 8), (byte) daddr};
        return hash(in, 0, in.length);
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }
}
