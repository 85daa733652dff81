package org.lwktlab.netisr.inet;

/**
 * TCP sequence-number arithmetic modulo 2^32 ({@code SEQ_LT} and friends of {@code tcp_seq.h}): two
 * sequence numbers compare by the sign of their 32-bit difference, so comparisons stay right across
 * wrap-around as long as they are less than 2^31 apart.
 */
public final class TcpSeq {
    private TcpSeq() {}

    public static boolean lt(int a, int b) {
        return a - b < 0;
    }

    public static boolean leq(int a, int b) {
        return a - b <= 0;
    }

    public static boolean gt(int a, int b) {
        return a - b > 0;
    }

    public static boolean geq(int a, int b) {
        return a - b >= 0;
    }

    /** The later of two sequence numbers. */
    public static int max(int a, int b) {
        return gt(a, b) ? a : b;
    }
}
