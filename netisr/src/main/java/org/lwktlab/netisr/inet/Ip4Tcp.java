package org.lwktlab.netisr.inet;

/**
 * Layout of the frames on the wire: an IPv4 header without options (20 bytes) and a TCP header
 * without options (20 bytes), then the payload, all big-endian as on a real network.
 *
 * <pre>
 *  0 ver/ihl  1 tos  2-3 total length  4-5 id  6-7 flags/fragment  8 ttl  9 protocol  10-11 header checksum
 * 12-15 source address  16-19 destination address
 * 20-21 source port  22-23 destination port  24-27 sequence  28-31 acknowledgement  32 data offset
 * 33 flags  34-35 window  36-37 checksum  38-39 urgent pointer  40.. payload
 * </pre>
 */
public final class Ip4Tcp {
    private Ip4Tcp() {}

    public static final int IP_HLEN = 20;
    public static final int TCP_HLEN = 20;
    /** Bytes of headers before the payload. */
    public static final int HLEN = IP_HLEN + TCP_HLEN;
    public static final int PROTO_TCP = 6;
    public static final int TTL = 64;

    public static final int OFF_VHL = 0;
    public static final int OFF_TOTLEN = 2;
    public static final int OFF_ID = 4;
    public static final int OFF_FRAG = 6;
    public static final int OFF_TTL = 8;
    public static final int OFF_PROTO = 9;
    public static final int OFF_IPSUM = 10;
    public static final int OFF_SRC = 12;
    public static final int OFF_DST = 16;
    public static final int OFF_SPORT = 20;
    public static final int OFF_DPORT = 22;
    public static final int OFF_SEQ = 24;
    public static final int OFF_ACK = 28;
    public static final int OFF_DOFF = 32;
    public static final int OFF_FLAGS = 33;
    public static final int OFF_WIN = 34;
    public static final int OFF_TCPSUM = 36;
    public static final int OFF_URP = 38;

    /** TCP flags ({@code TH_*}). */
    public static final int TH_FIN = 0x01;
    public static final int TH_SYN = 0x02;
    public static final int TH_RST = 0x04;
    public static final int TH_PUSH = 0x08;
    public static final int TH_ACK = 0x10;

    /** Largest window a header can advertise (no window scaling). */
    public static final int MAX_WIN = 0xffff;

    /** {@code 10.0.0.1}-style text of an IPv4 address. */
    public static String addr(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    /** {@code SYN|ACK}-style text of TCP flags. */
    public static String flags(int f) {
        StringBuilder sb = new StringBuilder();
        String[] n = {"FIN", "SYN", "RST", "PSH", "ACK"};
        for (int i = 0; i < n.length; i++) {
            if ((f & (1 << i)) != 0) {
                if (!sb.isEmpty()) {
                    sb.append('|');
                }
                sb.append(n[i]);
            }
        }
        return sb.isEmpty() ? "-" : sb.toString();
    }
}
