package org.lwktlab.netisr.rss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Microsoft's RSS verification suite (IPv4), the table/bitwise equivalence, and key symmetry. */
class ToeplitzTest {
    private static final Toeplitz MS = new Toeplitz(Toeplitz.microsoftKey());

    static int ip(String dotted) {
        String[] p = dotted.split("\\.");
        return (Integer.parseInt(p[0]) << 24) | (Integer.parseInt(p[1]) << 16) | (Integer.parseInt(p[2]) << 8)
                | Integer.parseInt(p[3]);
    }

    @ParameterizedTest(name = "{0}:{1} -> {2}:{3}")
    @CsvSource({
        // source, sport, destination, dport, IPv4 hash, TCP/IPv4 hash (the published suite)
        "66.9.149.187,   2794,  161.142.100.80, 1766,  323e8fc2, 51ccc178",
        "199.92.111.2,   14230, 65.69.140.83,   4739,  d718262a, c626b0ea",
        "24.19.198.95,   12898, 12.22.207.184,  38024, d2d0a5de, 5c2b394a",
        "38.27.205.30,   48228, 209.142.163.6,  2217,  82989176, afc7327f",
        "153.39.163.191, 44251, 202.188.127.2,  1303,  5d1809c5, 10e828a2",
    })
    void microsoftVerificationSuite(String src, int sport, String dst, int dport, String ipv4, String tcp) {
        int s = ip(src);
        int d = ip(dst);
        assertEquals((int) Long.parseLong(ipv4, 16), MS.hash2(s, d), "IPv4 2-tuple hash");
        assertEquals((int) Long.parseLong(tcp, 16), MS.hash4(s, d, sport, dport), "TCP/IPv4 4-tuple hash");
        byte[] in = {(byte) (s >>> 24), (byte) (s >>> 16), (byte) (s >>> 8), (byte) s,
            (byte) (d >>> 24), (byte) (d >>> 16), (byte) (d >>> 8), (byte) d,
            (byte) (sport >>> 8), (byte) sport, (byte) (dport >>> 8), (byte) dport};
        assertEquals((int) Long.parseLong(tcp, 16), MS.hash(in, 0, in.length), "bitwise algorithm");
    }

    @Test
    void tableHashEqualsBitwiseHashOnRandomTuples() {
        Toeplitz sym = new Toeplitz(Toeplitz.symmetricKey());
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 2000; i++) {
            int s = r.nextInt();
            int d = r.nextInt();
            int sp = r.nextInt(65536);
            int dp = r.nextInt(65536);
            byte[] in = {(byte) (s >>> 24), (byte) (s >>> 16), (byte) (s >>> 8), (byte) s,
                (byte) (d >>> 24), (byte) (d >>> 16), (byte) (d >>> 8), (byte) d,
                (byte) (sp >>> 8), (byte) sp, (byte) (dp >>> 8), (byte) dp};
            assertEquals(MS.hash(in, 0, 12), MS.hash4(s, d, sp, dp));
            assertEquals(sym.hash(in, 0, 12), sym.hash4(s, d, sp, dp));
        }
    }

    @Test
    void symmetricKeyHashesBothDirectionsAlike() {
        Toeplitz sym = new Toeplitz(Toeplitz.symmetricKey());
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 5000; i++) {
            int s = r.nextInt();
            int d = r.nextInt();
            int sp = r.nextInt(65536);
            int dp = r.nextInt(65536);
            assertEquals(sym.hash4(s, d, sp, dp), sym.hash4(d, s, dp, sp));
        }
    }

    @Test
    void microsoftKeyIsNotSymmetric() {
        int a = ip("10.0.0.1");
        int b = ip("10.0.0.2");
        int differ = 0;
        for (int p = 49152; p < 49152 + 64; p++) {
            if (MS.hash4(a, b, p, 80) != MS.hash4(b, a, 80, p)) {
                differ++;
            }
        }
        assertTrue(differ > 32, "the standard key should send most reverse flows elsewhere; differed " + differ);
    }

    @Test
    void symmetricKeySpreadsFlowsOverQueues() {
        Toeplitz sym = new Toeplitz(Toeplitz.symmetricKey());
        RssTable t = new RssTable(4);
        int[] per = new int[4];
        for (int p = 49152; p < 49152 + 4096; p++) {
            per[t.queue(sym.hash4(ip("10.0.0.1"), ip("10.0.0.2"), p, 80))]++;
        }
        for (int q = 0; q < 4; q++) {
            assertTrue(per[q] > 4096 / 4 / 2, "queue " + q + " got only " + per[q] + " of 4096 flows");
        }
        assertNotEquals(0, per[3]);
    }

    @Test
    void badKeysAndTablesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Toeplitz(new byte[8]));
        assertTrue(e.getMessage().contains("at least 16 bytes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RssTable(0));
        assertThrows(IllegalArgumentException.class, () -> new RssTable(129));
        assertEquals(2, new RssTable(3).queue(130)); // 130 & 127 = 2 -> 2 % 3
    }
}
