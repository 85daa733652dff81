package org.lwktlab.netisr.inet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** RFC 1071's worked example, a real IPv4 header, split sums, and single-bit corruption. */
class InCksumTest {
    @Test
    void rfc1071Example() {
        // RFC 1071 §3: the bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2 (with end-around carry).
        byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertEquals(0xddf2, InCksum.fold(InCksum.sum(b, 0, b.length, 0)));
        assertEquals(0x220d, InCksum.checksum(InCksum.sum(b, 0, b.length, 0)));
    }

    @Test
    void ipv4HeaderChecksum() {
        // 192.168.0.1 -> 192.168.0.199, total length 0x73, TTL 64, UDP; its checksum is b861.
        int[] words = {0x4500, 0x0073, 0x0000, 0x4000, 0x4011, 0x0000, 0xc0a8, 0x0001, 0xc0a8, 0x00c7};
        byte[] h = new byte[20];
        for (int i = 0; i < words.length; i++) {
            h[2 * i] = (byte) (words[i] >>> 8);
            h[2 * i + 1] = (byte) words[i];
        }
        int ck = InCksum.checksum(InCksum.sum(h, 0, 20, 0));
        assertEquals(0xb861, ck);
        h[10] = (byte) (ck >>> 8);
        h[11] = (byte) ck;
        assertTrue(InCksum.verifies(InCksum.sum(h, 0, 20, 0)));
    }

    @Test
    void oddLengthPadsWithZero() {
        byte[] b = {0x12, 0x34, 0x56};
        assertEquals(0x1234 + 0x5600, InCksum.fold(InCksum.sum(b, 0, 3, 0)));
    }

    @Test
    void piecewiseSumEqualsWholeSumAndCatchesEveryBitFlip() {
        SplittableRandom r = new SplittableRandom(3);
        byte[] data = new byte[1501];
        r.nextBytes(data);
        long whole = InCksum.sum(data, 0, data.length, 0);
        long pieces = InCksum.sum(data, 600, data.length - 600, InCksum.sum(data, 0, 600, 0));
        assertEquals(InCksum.fold(whole), InCksum.fold(pieces));
        // append the checksum as a trailing word (after padding the odd byte) and verify
        byte[] framed = new byte[data.length + 1 + 2];
        System.arraycopy(data, 0, framed, 0, data.length);
        int ck = InCksum.checksum(whole);
        framed[data.length + 1] = (byte) (ck >>> 8);
        framed[data.length + 2] = (byte) ck;
        assertTrue(InCksum.verifies(InCksum.sum(framed, 0, framed.length, 0)));
        for (int i = 0; i < 200; i++) {
            int pos = r.nextInt(data.length);
            int bit = 1 << r.nextInt(8);
            framed[pos] ^= (byte) bit;
            assertFalse(InCksum.verifies(InCksum.sum(framed, 0, framed.length, 0)), "flip at " + pos);
            framed[pos] ^= (byte) bit;
        }
    }

    @Test
    void pseudoHeaderAddsAddressesProtocolAndLength() {
        long s = InCksum.pseudoHeader(0x0a000001, 0x0a000002, 6, 40, 0);
        assertEquals(0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 6 + 40, s);
    }
}
