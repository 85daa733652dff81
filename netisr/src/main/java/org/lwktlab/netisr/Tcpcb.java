package org.lwktlab.netisr;

import org.lwktlab.netisr.inet.Ip4Tcp;

/**
 * A TCP connection's protocol control block ({@code struct inpcb} + {@code struct tcpcb}): its
 * 4-tuple, state, sequence space, socket buffers, reassembly queue, timers, and the socket calls
 * waiting on it.
 *
 * <p><b>Ownership</b> (dragonfly.md §9.18). Message design: lives in the PCB table of exactly one CPU —
 * the one its 4-tuple hashes to — and only that CPU's netisr touches it, with no lock. Mutex design:
 * lives in the global table; every access holds its PCB lock ({@link #lockIndex}). Once
 * {@link #detached} it is in no table and nothing may change it again (stale references — a mutex
 * design lookup that raced with the free — see the flag under the lock and let go).
 *
 * <p>Sequence numbers are 32-bit and compared with {@link org.lwktlab.netisr.inet.TcpSeq}.
 */
final class Tcpcb {
    // States (RFC 793 / tcp_fsm.h).
    static final int CLOSED = 0;
    static final int LISTEN = 1;
    static final int SYN_SENT = 2;
    static final int SYN_RECEIVED = 3;
    static final int ESTABLISHED = 4;
    static final int CLOSE_WAIT = 5;
    static final int FIN_WAIT_1 = 6;
    static final int CLOSING = 7;
    static final int LAST_ACK = 8;
    static final int FIN_WAIT_2 = 9;
    static final int TIME_WAIT = 10;

    private static final String[] STATE_NAMES = {"CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED",
        "CLOSE_WAIT", "FIN_WAIT_1", "CLOSING", "LAST_ACK", "FIN_WAIT_2", "TIME_WAIT"};

    // t_flags
    /** Send an ACK now (or at the end of the batch when ACKs are aggregated). */
    static final int TF_ACKNOW = 0x1;
    /** On its CPU's end-of-batch ACK queue ({@code TF_ONOUTPUTQ}). */
    static final int TF_ONACKQ = 0x2;
    /** The user closed: send FIN once the send buffer drains. */
    static final int TF_CANTSENDMORE = 0x4;
    /** A FIN arrived in order: reads see end of stream. */
    static final int TF_CANTRCVMORE = 0x8;
    /** Our FIN has been sent at least once. */
    static final int TF_SENTFIN = 0x10;
    /** This side bound an ephemeral port that must be released with the PCB. */
    static final int TF_OWNPORT = 0x20;

    final Host host;
    final Socket so;
    final int laddr;
    final int lport;
    final int faddr;
    final int fport;
    /** Key in its host's PCB table: faddr, fport, lport. */
    final long key;
    /** The flow's RSS CPU: where its packets arrive (and, in the message design, where it lives). */
    final int rssCpu;
    /** Mutex design: index of its PCB lock. */
    final int lockIndex;
    /** The listener that created it (passive open), until handed off. */
    Listener listener;

    int state = CLOSED;
    int flags;
    boolean detached;

    int iss;
    int irs;
    int sndUna;
    int sndNxt;
    int sndMax;
    int sndWnd;
    int sndWl1;
    int sndWl2;
    int rcvNxt;
    /** Right edge of the window last advertised ({@code rcv_adv}). */
    int rcvAdv;
    /** In-order data segments received since the last ACK we sent. */
    int segsSinceAck;
    /** Retransmit back-off shift. */
    int rxtShift;
    /** Sequence number of our FIN (valid once TF_CANTSENDMORE). */
    int finSeq;
    /** Sequence number of the first byte in the send buffer ({@code snd_una} minus SYN/FIN accounting). */
    int sndBufSeq;
    /** Next output must send one byte into a zero window (a window probe after a timeout). */
    boolean forceOne;
    /** RTT measurement (RFC 6298, Karn): when the timed segment left (clock nanos), 0 when none is timed. */
    long rttStart;
    /** The sequence number whose acknowledgement ends the measurement. */
    int rttSeq;
    /** Smoothed RTT and its variation, nanoseconds; 0 before the first sample. */
    long srtt;
    long rttvar;

    SockBuf snd;
    SockBuf rcv;
    /** Out-of-order segments, sorted by sequence number ({@code tcp_reass} queue). */
    Mbuf reass;
    int reassLen;

    final Callout[] timers = new Callout[Callout.KINDS];

    SockReq connectReq;
    SockReq sendReq;
    SockReq recvReq;

    Tcpcb(Host host, Socket so, int lport, int faddr, int fport, int rssCpu, int lockIndex, CalloutWheel wheel) {
        this.host = host;
        this.so = so;
        this.laddr = host.addr;
        this.lport = lport;
        this.faddr = faddr;
        this.fport = fport;
        this.key = key(faddr, fport, lport);
        this.rssCpu = rssCpu;
        this.lockIndex = lockIndex;
        for (int k = 0; k < Callout.KINDS; k++) {
            timers[k] = new Callout(this, k, wheel);
        }
    }

    /** The PCB table key of a connection to {@code faddr:fport} from local port {@code lport}. */
    static long key(int faddr, int fport, int lport) {
        return ((long) faddr << 32) | ((long) (fport & 0xffff) << 16) | (lport & 0xffff);
    }

    static String stateName(int s) {
        return s >= 0 && s < STATE_NAMES.length ? STATE_NAMES[s] : "STATE" + s;
    }

    /** True in the states where our side has received the peer's SYN and ours is acknowledged. */
    boolean synchronized_() {
        return state >= ESTABLISHED;
    }

    @Override
    public String toString() {
        return "tcpcb[" + Ip4Tcp.addr(laddr) + ":" + lport + " -> " + Ip4Tcp.addr(faddr) + ":" + fport + " "
                + stateName(state) + (detached ? " detached" : "") + "]";
    }
}
