package org.lwktlab.netisr;

import static org.lwktlab.netisr.inet.Ip4Tcp.HLEN;
import static org.lwktlab.netisr.inet.Ip4Tcp.TH_ACK;
import static org.lwktlab.netisr.inet.Ip4Tcp.TH_FIN;
import static org.lwktlab.netisr.inet.Ip4Tcp.TH_RST;
import static org.lwktlab.netisr.inet.Ip4Tcp.TH_SYN;
import static org.lwktlab.netisr.inet.TcpSeq.geq;
import static org.lwktlab.netisr.inet.TcpSeq.gt;
import static org.lwktlab.netisr.inet.TcpSeq.leq;
import static org.lwktlab.netisr.inet.TcpSeq.lt;

import org.lwktlab.lwkt.Message;
import org.lwktlab.netisr.inet.InCksum;
import org.lwktlab.netisr.inet.Ip4Tcp;

/**
 * The TCP both designs run — one copy of the protocol, called by code that owns the connection (the
 * netisr of the connection's CPU in the message design; the holder of its PCB lock in the mutex
 * design). The subset: three-way handshake (active, passive, simultaneous), sequence and
 * acknowledgement numbers, a fixed window bounded by the peer's advertised one, delayed ACKs (every
 * second in-order segment, or the delayed-ACK timer), in-order delivery through a reassembly queue,
 * FIN close with TIME_WAIT, RST, and go-back-N retransmission on timeout — the timeout from measured
 * round trips (RFC 6298, Karn's rule), doubled per retry — with a window probe when the peer's window is
 * zero. No options (fixed MSS), no congestion control, no
 * SACK, no window scaling.
 *
 * <p><b>ACKs owed.</b> The protocol never sends an ACK from the middle of input: it marks the
 * connection {@code TF_ACKNOW} ({@link #ackNow}); with {@code ackRollup} the connection goes on its
 * CPU's ACK queue once, and the netisr's end-of-batch rollup sends one ACK for everything that batch
 * owed it (DragonFly's {@code tcp_willblock}); otherwise it is sent when this segment's processing ends.
 * A data segment sent in the meantime carries the ACK and clears the debt.
 *
 * <p><b>Calls wait by parking.</b> A socket call that cannot finish now is kept on the PCB
 * ({@code connectReq}, {@code sendReq}, {@code recvReq}) and completed by whichever event lets it finish;
 * completions are replied by {@link NetCpu#flush} when the caller lets go of the connection, never
 * under a lock. A parked {@code recv} carries the stack's abort handler, so {@code abortmsg} can take it
 * back ({@link #unparkAborted}); whichever of the abort and the data comes first clears
 * {@code recvReq}, and the other finds it gone.
 */
final class Tcp {
    private final NetStack st;
    private final PacketMemory mem;
    private final TcpEnv env;
    private final boolean rollup;
    private final int mss;
    private final int window;

    Tcp(NetStack st, TcpEnv env) {
        this.st = st;
        this.mem = st.mem;
        this.env = env;
        this.rollup = st.config.ackRollup();
        this.mss = st.config.mss();
        this.window = st.config.window();
    }

    // ------------------------------------------------------------------ frames

    /**
     * Parses and verifies a received frame into {@code m}'s fields: IPv4 without options, TCP without
     * options, both checksums. False (counted) if anything is wrong; the caller frees the frame.
     */
    boolean parse(NetCpu c, Mbuf m) {
        final long d = m.data;
        final PacketMemory mm = mem;
        if (m.len < HLEN || mm.u8(d, Ip4Tcp.OFF_VHL) != 0x45 || mm.u8(d, Ip4Tcp.OFF_PROTO) != Ip4Tcp.PROTO_TCP
                || mm.u16(d, Ip4Tcp.OFF_TOTLEN) != m.len || (mm.u8(d, Ip4Tcp.OFF_DOFF) >>> 4) != 5
                || !InCksum.verifies(mm.cksum(d, 0, Ip4Tcp.IP_HLEN, 0))) {
            c.badChecksum.incrementRelease();
            return false;
        }
        int saddr = mm.i32(d, Ip4Tcp.OFF_SRC);
        int daddr = mm.i32(d, Ip4Tcp.OFF_DST);
        int tcpLen = m.len - Ip4Tcp.IP_HLEN;
        long sum = InCksum.pseudoHeader(saddr, daddr, Ip4Tcp.PROTO_TCP, tcpLen, 0);
        if (!InCksum.verifies(mm.cksum(d, Ip4Tcp.IP_HLEN, tcpLen, sum))) {
            c.badChecksum.incrementRelease();
            return false;
        }
        m.saddr = saddr;
        m.daddr = daddr;
        m.sport = mm.u16(d, Ip4Tcp.OFF_SPORT);
        m.dport = mm.u16(d, Ip4Tcp.OFF_DPORT);
        m.seq = mm.i32(d, Ip4Tcp.OFF_SEQ);
        m.ack = mm.i32(d, Ip4Tcp.OFF_ACK);
        m.thflags = mm.u8(d, Ip4Tcp.OFF_FLAGS);
        m.win = mm.u16(d, Ip4Tcp.OFF_WIN);
        m.plen = m.len - HLEN;
        m.poff = HLEN;
        return true;
    }

    /**
     * Builds a segment in a fresh frame and queues it on this CPU's transmit ring. Payload, if any, is
     * {@code len} bytes of {@code tp}'s send buffer starting {@code dataOff} bytes past its head.
     */
    private void emit(NetCpu c, Host h, int daddr, int sport, int dport, int seq, int ack, int flags, int win,
                      Tcpcb tp, int dataOff, int len) {
        Mbuf m = st.packet(c, HLEN + len);
        final long d = m.data;
        final PacketMemory mm = mem;
        final int saddr = h.addr;
        mm.put8(d, Ip4Tcp.OFF_VHL, 0x45);
        mm.put8(d, 1, 0);
        mm.put16(d, Ip4Tcp.OFF_TOTLEN, HLEN + len);
        mm.put16(d, Ip4Tcp.OFF_ID, seq);
        mm.put16(d, Ip4Tcp.OFF_FRAG, 0x4000);
        mm.put8(d, Ip4Tcp.OFF_TTL, Ip4Tcp.TTL);
        mm.put8(d, Ip4Tcp.OFF_PROTO, Ip4Tcp.PROTO_TCP);
        mm.put16(d, Ip4Tcp.OFF_IPSUM, 0);
        mm.put32(d, Ip4Tcp.OFF_SRC, saddr);
        mm.put32(d, Ip4Tcp.OFF_DST, daddr);
        mm.put16(d, Ip4Tcp.OFF_SPORT, sport);
        mm.put16(d, Ip4Tcp.OFF_DPORT, dport);
        mm.put32(d, Ip4Tcp.OFF_SEQ, seq);
        mm.put32(d, Ip4Tcp.OFF_ACK, ack);
        mm.put8(d, Ip4Tcp.OFF_DOFF, 5 << 4);
        mm.put8(d, Ip4Tcp.OFF_FLAGS, flags);
        mm.put16(d, Ip4Tcp.OFF_WIN, Math.min(win, Ip4Tcp.MAX_WIN));
        mm.put16(d, Ip4Tcp.OFF_TCPSUM, 0);
        mm.put16(d, Ip4Tcp.OFF_URP, 0);
        if (len > 0) {
            tp.snd.peekInto(dataOff, d, HLEN, len);
        }
        mm.put16(d, Ip4Tcp.OFF_IPSUM, InCksum.checksum(mm.cksum(d, 0, Ip4Tcp.IP_HLEN, 0)));
        int tcpLen = Ip4Tcp.TCP_HLEN + len;
        long sum = InCksum.pseudoHeader(saddr, daddr, Ip4Tcp.PROTO_TCP, tcpLen, 0);
        mm.put16(d, Ip4Tcp.OFF_TCPSUM, InCksum.checksum(mm.cksum(d, Ip4Tcp.IP_HLEN, tcpLen, sum)));
        m.ifp = h.nic;
        c.transmit(m);
    }

    /** {@code tcp_respond}: a RST answering segment {@code m} that matched no connection. */
    void respondRst(NetCpu c, Host h, Mbuf m) {
        if ((m.thflags & TH_RST) != 0) {
            return;
        }
        c.resetsSent.incrementRelease();
        if ((m.thflags & TH_ACK) != 0) {
            emit(c, h, m.saddr, m.dport, m.sport, m.ack, 0, TH_RST, 0, null, 0, 0);
        } else {
            int segLen = m.plen + ((m.thflags & TH_SYN) != 0 ? 1 : 0) + ((m.thflags & TH_FIN) != 0 ? 1 : 0);
            emit(c, h, m.saddr, m.dport, m.sport, 0, m.seq + segLen, TH_RST | TH_ACK, 0, null, 0, 0);
        }
    }

    // ------------------------------------------------------------------ output

    /**
     * {@code tcp_output}: sends what the connection may send now — SYN or SYN|ACK, data within
     * {@code min(window, peer's window)}, FIN once the send buffer drained after a close, or an owed
     * ACK — and keeps the retransmit timer armed while anything is unacknowledged.
     */
    void output(NetCpu c, Tcpcb tp) {
        output(c, tp, false);
    }

    /**
     * As {@link #output(NetCpu, Tcpcb)}; with {@code ackMayWait}, a segment that would carry nothing but
     * an owed ACK is not sent when the rollup will send it (input calls output this way after an ACK
     * advanced, to send data the window now allows without defeating ACK aggregation).
     */
    void output(NetCpu c, Tcpcb tp, boolean ackMayWait) {
        if (tp.detached) {
            return;
        }
        for (;;) {
            int flags = TH_ACK;
            int len = 0;
            int dataOff = 0;
            final int st0 = tp.state;
            if (st0 == Tcpcb.SYN_SENT || st0 == Tcpcb.SYN_RECEIVED) {
                if (tp.sndNxt != tp.iss) {
                    if ((tp.flags & Tcpcb.TF_ACKNOW) == 0 || st0 == Tcpcb.SYN_SENT) {
                        return;
                    }
                } else {
                    flags = st0 == Tcpcb.SYN_SENT ? TH_SYN : TH_SYN | TH_ACK;
                }
            } else if (st0 == Tcpcb.TIME_WAIT || st0 == Tcpcb.CLOSED) {
                if ((tp.flags & Tcpcb.TF_ACKNOW) == 0) {
                    return;
                }
            } else {
                int avail = 0;
                if (tp.snd != null) {
                    dataOff = tp.sndNxt - tp.sndBufSeq;
                    avail = tp.snd.length() - dataOff;
                }
                if (avail > 0) {
                    int win = Math.min(window, tp.sndWnd);
                    int usable = tp.sndUna + win - tp.sndNxt;
                    len = Math.min(Math.min(avail, mss), Math.max(usable, 0));
                    if (len == 0 && tp.forceOne) {
                        len = 1;
                    }
                    if (len == 0 && tp.sndNxt == tp.sndUna && tp.timers[Callout.REXMT].deadline == 0) {
                        // zero window, nothing in flight: the retransmit timer doubles as the persist timer
                        armRexmt(c, tp);
                    }
                }
                tp.forceOne = false;
                if ((tp.flags & Tcpcb.TF_CANTSENDMORE) != 0 && tp.sndNxt + len == tp.finSeq
                        && (st0 == Tcpcb.FIN_WAIT_1 || st0 == Tcpcb.CLOSING || st0 == Tcpcb.LAST_ACK)) {
                    flags |= TH_FIN;
                }
                if (len == 0 && (flags & TH_FIN) == 0
                        && ((tp.flags & Tcpcb.TF_ACKNOW) == 0 || (ackMayWait && (tp.flags & Tcpcb.TF_ONACKQ) != 0))) {
                    return;
                }
            }
            if (len > 0 || (flags & (TH_SYN | TH_FIN)) != 0) {
                if (lt(tp.sndNxt, tp.sndMax)) {
                    c.rexmtSegments.incrementRelease();
                } else if (tp.rttStart == 0) {
                    tp.rttStart = st.clock.nanos(); // time this new segment (never a retransmitted one: Karn)
                    tp.rttSeq = tp.sndNxt;
                }
            }
            int rwin = tp.rcv == null ? 0 : tp.rcv.space();
            if ((tp.flags & Tcpcb.TF_ACKNOW) != 0) {
                c.acksSent.incrementRelease();
            }
            emit(c, tp.host, tp.faddr, tp.lport, tp.fport, tp.sndNxt, tp.rcvNxt, flags, rwin, tp, dataOff, len);
            tp.sndNxt += len + ((flags & (TH_SYN | TH_FIN)) != 0 ? 1 : 0);
            if (gt(tp.sndNxt, tp.sndMax)) {
                tp.sndMax = tp.sndNxt;
            }
            if ((flags & TH_FIN) != 0) {
                tp.flags |= Tcpcb.TF_SENTFIN;
            }
            tp.flags &= ~Tcpcb.TF_ACKNOW;
            tp.segsSinceAck = 0;
            if (tp.timers[Callout.DELACK].deadline != 0) {
                env.cancel(c, tp.timers[Callout.DELACK]);
            }
            tp.rcvAdv = tp.rcvNxt + rwin;
            if (tp.sndNxt != tp.sndUna && tp.timers[Callout.REXMT].deadline == 0) {
                armRexmt(c, tp);
            }
            if (len == 0) {
                return;
            }
        }
    }

    /**
     * Arms the retransmit timer for the current RTO: {@code srtt + 4 rttvar} (RFC 6298), at least the
     * configured minimum, doubled per retry, at most the maximum.
     */
    private void armRexmt(NetCpu c, Tcpcb tp) {
        NetConfig cfg = st.config;
        long base = cfg.rtoTicks();
        if (tp.srtt != 0) {
            base = Math.max(base, st.clock.ticksFor(tp.srtt + 4 * tp.rttvar));
        }
        long rto = Math.min(base << Math.min(tp.rxtShift, 20), cfg.rtoMaxTicks());
        env.arm(c, tp.timers[Callout.REXMT], st.clock.now() + rto);
    }

    /** A round-trip sample of {@code r} nanoseconds (RFC 6298 §2: alpha 1/8, beta 1/4). */
    private static void rttSample(Tcpcb tp, long r) {
        if (tp.srtt == 0) {
            tp.srtt = Math.max(r, 1);
            tp.rttvar = r / 2;
        } else {
            tp.rttvar += (Math.abs(tp.srtt - r) - tp.rttvar) / 4;
            tp.srtt += (r - tp.srtt) / 8;
            if (tp.srtt == 0) {
                tp.srtt = 1;
            }
        }
    }

    /** Marks that {@code tp} owes an ACK now (see the class comment). */
    void ackNow(NetCpu c, Tcpcb tp) {
        c.ackRequests.incrementRelease();
        tp.flags |= Tcpcb.TF_ACKNOW;
        if (rollup && (tp.flags & Tcpcb.TF_ONACKQ) == 0) {
            tp.flags |= Tcpcb.TF_ONACKQ;
            c.ackqAdd(tp);
        }
    }

    /** Sends an owed ACK now unless the rollup will. */
    private void flushAck(NetCpu c, Tcpcb tp) {
        if (!rollup && (tp.flags & Tcpcb.TF_ACKNOW) != 0) {
            output(c, tp);
        }
    }

    /** The rollup's part for one connection of the ACK queue ({@code tcp_willblock}). */
    void rollupOne(NetCpu c, Tcpcb tp) {
        tp.flags &= ~Tcpcb.TF_ONACKQ;
        if ((tp.flags & Tcpcb.TF_ACKNOW) != 0 && !tp.detached) {
            output(c, tp);
        }
    }

    // ------------------------------------------------------------------ input

    /**
     * A SYN for a listener: creates the connection in SYN_RECEIVED with a new socket (not yet linked;
     * the design links it, then calls {@link #output} to send the SYN|ACK). It holds a place in the
     * listener's backlog until an accept takes it or it dies ({@link #close}). Null if the segment is
     * not a plain SYN (an ACK gets a RST) or the backlog is full (the SYN is dropped).
     */
    Tcpcb passiveOpen(NetCpu c, Listener l, Mbuf m) {
        int f = m.thflags;
        if ((f & TH_RST) != 0) {
            return null;
        }
        if ((f & TH_ACK) != 0 || (f & TH_SYN) == 0) {
            respondRst(c, l.host, m);
            return null;
        }
        if (!l.reserve(st.config.backlog())) {
            // the listen queue is full: drop the SYN unanswered (as BSD does); the client will retransmit
            c.listenOverflows.incrementRelease();
            return null;
        }
        Socket so = st.newSocket(l.host, c.id);
        Tcpcb tp = new Tcpcb(l.host, so, l.port, m.saddr, m.sport, c.id, st.lockIndex(so), c.wheel);
        so.pcb = tp;
        so.rssCpu = c.id;
        so.lport = l.port;
        so.faddr = m.saddr;
        so.fport = m.sport;
        tp.listener = l;
        tp.snd = new SockBuf(c, mem, window);
        tp.rcv = new SockBuf(c, mem, window);
        tp.iss = c.rng.nextInt();
        tp.sndUna = tp.sndNxt = tp.sndMax = tp.iss;
        tp.sndBufSeq = tp.iss + 1;
        tp.irs = m.seq;
        tp.rcvNxt = m.seq + 1;
        tp.rcvAdv = tp.rcvNxt;
        tp.sndWnd = m.win;
        tp.sndWl1 = m.seq;
        tp.sndWl2 = tp.iss;
        tp.state = Tcpcb.SYN_RECEIVED;
        c.opened.incrementRelease();
        return tp;
    }

    /** Starts an active open on {@code tp} (linked by the design): SYN_SENT, SYN out, {@code r} parked. */
    void connect(NetCpu c, Tcpcb tp, SockReq r) {
        tp.snd = new SockBuf(c, mem, window);
        tp.rcv = new SockBuf(c, mem, window);
        tp.iss = c.rng.nextInt();
        tp.sndUna = tp.sndNxt = tp.sndMax = tp.iss;
        tp.sndBufSeq = tp.iss + 1;
        tp.state = Tcpcb.SYN_SENT;
        tp.connectReq = r;
        c.opened.incrementRelease();
        output(c, tp);
    }

    /**
     * {@code tcp_input} for a connection: {@code m} is parsed, verified and addressed to {@code tp}.
     * Returns true if {@code m} was kept (reassembly queue); otherwise the caller frees it.
     */
    boolean input(NetCpu c, Tcpcb tp, Mbuf m) {
        if (tp.detached) {
            return false;
        }
        if (tp.state == Tcpcb.SYN_SENT) {
            synSentInput(c, tp, m);
            flushAck(c, tp);
            return false;
        }
        final int f = m.thflags;
        int seq = m.seq;
        int plen = m.plen;
        boolean fin = (f & TH_FIN) != 0;
        final int rcvWnd = tp.rcv == null ? 0 : tp.rcv.space();

        if ((f & TH_RST) != 0) {
            // acceptable if it falls in the window (or at rcv_nxt with a zero window)
            if (seq == tp.rcvNxt || (leq(tp.rcvNxt, seq) && lt(seq, tp.rcvNxt + Math.max(rcvWnd, 1)))) {
                if (tp.state == Tcpcb.SYN_RECEIVED && tp.listener != null) {
                    drop(c, tp, SoErrno.ECONNREFUSED, "the peer reset the connection during the handshake", false);
                } else if (tp.state == Tcpcb.TIME_WAIT || tp.state == Tcpcb.LAST_ACK || tp.state == Tcpcb.CLOSING) {
                    close(c, tp, 0, null);
                } else {
                    drop(c, tp, SoErrno.ECONNRESET, "connection reset by peer", false);
                }
            }
            return false;
        }
        if ((f & TH_SYN) != 0) {
            if (tp.state == Tcpcb.SYN_RECEIVED && seq == tp.irs) {
                // our SYN|ACK was lost: the peer sent its SYN again
                tp.sndNxt = tp.iss;
                output(c, tp);
            } else {
                ackNow(c, tp); // challenge ACK (RFC 5961): a SYN in a synchronized state
                flushAck(c, tp);
            }
            return false;
        }

        // Trim what we already have off the front.
        int todrop = tp.rcvNxt - seq;
        if (todrop > 0) {
            if (todrop > plen || (todrop == plen && !fin)) {
                // entirely old: a duplicate or a retransmission of acknowledged data
                c.dupSegments.incrementRelease();
                if (todrop > plen) {
                    fin = false; // its FIN is old too
                }
                todrop = plen;
                ackNow(c, tp);
            }
            seq += todrop;
            plen -= todrop;
            m.poff += todrop;
        }
        // Trim what does not fit in the window off the back.
        int excess = (seq + plen) - (tp.rcvNxt + rcvWnd);
        if (excess > 0) {
            if (excess >= plen) {
                plen = 0; // nothing fits (a window probe, or data after we shrank to zero)
                if (tp.state != Tcpcb.TIME_WAIT) {
                    ackNow(c, tp);
                }
            } else {
                plen -= excess;
            }
            fin = false;
        }
        m.seq = seq;
        m.plen = plen;
        if (!fin) {
            m.thflags &= ~TH_FIN;
        }

        if ((f & TH_ACK) == 0) {
            flushAck(c, tp);
            return false;
        }
        boolean needOutput = false;
        final int ack = m.ack;
        if (tp.state == Tcpcb.SYN_RECEIVED) {
            if (!(gt(ack, tp.sndUna) && leq(ack, tp.sndMax))) {
                respondRst(c, tp.host, m);
                return false;
            }
            tp.state = Tcpcb.ESTABLISHED;
            tp.sndWnd = m.win;
            tp.sndWl1 = m.seq;
            tp.sndWl2 = ack;
            ackAdvance(c, tp, ack);
            env.established(c, tp);
            if (tp.detached) {
                return false;
            }
        } else if (gt(ack, tp.sndMax)) {
            ackNow(c, tp); // acknowledges something never sent
            flushAck(c, tp);
            return false;
        } else if (gt(ack, tp.sndUna)) {
            needOutput = ackAdvance(c, tp, ack);
            if (tp.detached) {
                return false;
            }
        }
        // window update (RFC 793's SND.WL1/WL2 rule, so an old segment cannot shrink it)
        if (lt(tp.sndWl1, m.seq) || (tp.sndWl1 == m.seq && leq(tp.sndWl2, ack))) {
            if (m.win > tp.sndWnd) {
                needOutput = true;
            }
            tp.sndWnd = m.win;
            tp.sndWl1 = m.seq;
            tp.sndWl2 = ack;
        }
        if (tp.sndWnd == 0) {
            // the peer answers while its window is shut: it is alive, so window probes never time out
            tp.rxtShift = 0;
        }

        boolean kept = false;
        if (plen > 0 || fin) {
            final int s = tp.state;
            if (s == Tcpcb.ESTABLISHED || s == Tcpcb.FIN_WAIT_1 || s == Tcpcb.FIN_WAIT_2) {
                if (seq == tp.rcvNxt) {
                    deliver(c, tp, m);
                    if (tp.reass != null) {
                        pullReass(c, tp);
                        ackNow(c, tp); // filled a hole: tell the sender at once
                    } else if (fin) {
                        ackNow(c, tp);
                    } else if (++tp.segsSinceAck >= 2) {
                        ackNow(c, tp);
                    } else if (tp.timers[Callout.DELACK].deadline == 0 && (tp.flags & Tcpcb.TF_ACKNOW) == 0) {
                        env.arm(c, tp.timers[Callout.DELACK], st.clock.now() + st.config.delackTicks());
                    }
                    wakeRecv(c, tp);
                } else {
                    c.oooSegments.incrementRelease();
                    kept = reassInsert(c, tp, m);
                    ackNow(c, tp); // duplicate ACK for the hole
                }
            }
        }
        if (needOutput && !tp.detached) {
            output(c, tp, true);
        }
        if (!tp.detached) {
            flushAck(c, tp);
        }
        return kept;
    }

    private void synSentInput(NetCpu c, Tcpcb tp, Mbuf m) {
        final int f = m.thflags;
        final boolean ackOk = (f & TH_ACK) != 0 && gt(m.ack, tp.iss) && leq(m.ack, tp.sndMax);
        if ((f & TH_ACK) != 0 && !ackOk) {
            respondRst(c, tp.host, m); // e.g. the ACK of an old incarnation of this 4-tuple
            return;
        }
        if ((f & TH_RST) != 0) {
            if (ackOk) {
                drop(c, tp, SoErrno.ECONNREFUSED, "connection refused: nothing listens on "
                        + Ip4Tcp.addr(tp.faddr) + ":" + tp.fport, false);
            }
            return;
        }
        if ((f & TH_SYN) == 0) {
            return;
        }
        tp.irs = m.seq;
        tp.rcvNxt = m.seq + 1;
        tp.rcvAdv = tp.rcvNxt;
        tp.sndWnd = m.win;
        tp.sndWl1 = m.seq;
        tp.sndWl2 = m.ack;
        if (ackOk) {
            tp.state = Tcpcb.ESTABLISHED;
            ackAdvance(c, tp, m.ack);
            SockReq r = tp.connectReq;
            if (r != null) {
                tp.connectReq = null;
                r.result(0);
                c.complete(r, SoErrno.OK, null);
            }
            ackNow(c, tp);
        } else {
            // simultaneous open: both sent a SYN
            tp.state = Tcpcb.SYN_RECEIVED;
            tp.sndNxt = tp.iss;
            output(c, tp);
        }
    }

    /**
     * The peer acknowledged up to {@code ack} (> snd_una): frees acknowledged bytes, restarts or stops
     * the retransmit timer, moves FIN states on, and refills a waiting send. True if output may now
     * send more.
     */
    private boolean ackAdvance(NetCpu c, Tcpcb tp, int ack) {
        int dataEnd = ack;
        boolean finAcked = (tp.flags & Tcpcb.TF_SENTFIN) != 0 && geq(ack, tp.finSeq + 1);
        if (finAcked) {
            dataEnd = tp.finSeq;
        }
        int n = dataEnd - tp.sndBufSeq;
        if (n > 0 && tp.snd != null) {
            tp.snd.drop(n);
            tp.sndBufSeq += n;
        }
        tp.sndUna = ack;
        if (tp.rttStart != 0 && gt(ack, tp.rttSeq)) {
            rttSample(tp, st.clock.nanos() - tp.rttStart);
            tp.rttStart = 0;
        }
        if (lt(tp.sndNxt, tp.sndUna)) {
            tp.sndNxt = tp.sndUna;
        }
        tp.rxtShift = 0;
        if (tp.sndUna == tp.sndMax) {
            env.cancel(c, tp.timers[Callout.REXMT]);
        } else {
            armRexmt(c, tp);
        }
        if (tp.sendReq != null) {
            sendMore(c, tp);
        }
        if (finAcked) {
            switch (tp.state) {
                case Tcpcb.FIN_WAIT_1 -> tp.state = Tcpcb.FIN_WAIT_2;
                case Tcpcb.CLOSING -> enterTimeWait(c, tp);
                case Tcpcb.LAST_ACK -> {
                    close(c, tp, 0, null);
                    return false;
                }
                default -> { }
            }
        }
        return true;
    }

    /** Appends in-order segment {@code m} (already trimmed) to the receive buffer; handles its FIN. */
    private void deliver(NetCpu c, Tcpcb tp, Mbuf m) {
        if (m.plen > 0) {
            if (!tp.so.userClosed) {
                tp.rcv.appendFrom(m.data, m.poff, m.plen);
                c.rxBytes.getAndAddRelease(m.plen);
            }
            tp.rcvNxt += m.plen;
        }
        if ((m.thflags & TH_FIN) != 0) {
            finReceived(c, tp);
        }
    }

    private void finReceived(NetCpu c, Tcpcb tp) {
        tp.rcvNxt++;
        tp.flags |= Tcpcb.TF_CANTRCVMORE;
        ackNow(c, tp);
        switch (tp.state) {
            case Tcpcb.ESTABLISHED -> tp.state = Tcpcb.CLOSE_WAIT;
            case Tcpcb.FIN_WAIT_1 -> tp.state = Tcpcb.CLOSING; // our FIN not acked yet (else we would be in FIN_WAIT_2)
            case Tcpcb.FIN_WAIT_2 -> enterTimeWait(c, tp);
            default -> { }
        }
    }

    /**
     * Queues an out-of-order segment by sequence number, trimming overlaps with its neighbours
     * ({@code tcp_reass}). True if {@code m} was kept.
     */
    private boolean reassInsert(NetCpu c, Tcpcb tp, Mbuf m) {
        Mbuf prev = null;
        Mbuf q = tp.reass;
        while (q != null && leq(q.seq, m.seq)) {
            prev = q;
            q = q.nextPkt;
        }
        if (prev != null) {
            int over = prev.seq + prev.plen - m.seq;
            if (over > 0) {
                if (over >= m.plen) {
                    if ((m.thflags & TH_FIN) != 0 && over == m.plen) {
                        prev.thflags |= TH_FIN; // same bytes, but this copy also carries the FIN
                    }
                    c.dupSegments.incrementRelease();
                    return false;
                }
                m.seq += over;
                m.plen -= over;
                m.poff += over;
            }
        }
        while (q != null) {
            int mEnd = m.seq + m.plen;
            if (leq(mEnd, q.seq)) {
                break;
            }
            int qEnd = q.seq + q.plen;
            if (geq(mEnd, qEnd)) {
                if ((q.thflags & TH_FIN) != 0 && mEnd == qEnd) {
                    m.thflags |= TH_FIN;
                }
                Mbuf next = q.nextPkt;
                tp.reassLen--;
                st.freePacket(c, q);
                q = next;
                if (prev == null) {
                    tp.reass = q;
                } else {
                    prev.nextPkt = q;
                }
            } else {
                m.plen = q.seq - m.seq;
                m.thflags &= ~TH_FIN;
                break;
            }
        }
        m.nextPkt = q;
        if (prev == null) {
            tp.reass = m;
        } else {
            prev.nextPkt = m;
        }
        tp.reassLen++;
        return true;
    }

    /** Delivers queued segments that have become in order. */
    private void pullReass(NetCpu c, Tcpcb tp) {
        Mbuf q;
        while ((q = tp.reass) != null && leq(q.seq, tp.rcvNxt)) {
            tp.reass = q.nextPkt;
            tp.reassLen--;
            q.nextPkt = null;
            int old = tp.rcvNxt - q.seq;
            if (old < q.plen || (old == q.plen && (q.thflags & TH_FIN) != 0)) {
                q.seq += old;
                q.plen -= old;
                q.poff += old;
                deliver(c, tp, q);
            }
            st.freePacket(c, q);
            if ((tp.flags & Tcpcb.TF_CANTRCVMORE) != 0) {
                break;
            }
        }
    }

    private void enterTimeWait(NetCpu c, Tcpcb tp) {
        tp.state = Tcpcb.TIME_WAIT;
        env.cancel(c, tp.timers[Callout.REXMT]);
        env.cancel(c, tp.timers[Callout.DELACK]);
        releaseBuffers(c, tp);
        completeWaiting(c, tp, 0, null);
        env.arm(c, tp.timers[Callout.MSL2], st.clock.now() + st.config.msl2Ticks());
    }

    // ------------------------------------------------------------------ timers

    /** A callout of {@code tp} expired (the caller checked it is still the one that was armed). */
    void timer(NetCpu c, Tcpcb tp, int kind) {
        if (tp.detached) {
            return;
        }
        switch (kind) {
            case Callout.REXMT -> {
                boolean probe = tp.sndUna == tp.sndMax && tp.snd != null && tp.snd.length() > tp.sndNxt - tp.sndBufSeq
                        && tp.sndWnd == 0;
                if (tp.sndUna == tp.sndMax && !probe) {
                    return;
                }
                c.rexmtFired.incrementRelease();
                if (++tp.rxtShift > st.config.retries()) {
                    drop(c, tp, SoErrno.ETIMEDOUT, "connection timed out: no acknowledgement after "
                            + st.config.retries() + " retransmissions", true);
                    return;
                }
                tp.sndNxt = tp.sndUna;
                tp.rttStart = 0;
                if (probe || tp.sndWnd == 0) {
                    tp.forceOne = true;
                }
                output(c, tp);
            }
            case Callout.DELACK -> {
                c.delackFired.incrementRelease();
                c.ackRequests.incrementRelease();
                tp.flags |= Tcpcb.TF_ACKNOW;
                output(c, tp);
            }
            case Callout.MSL2 -> {
                if (tp.state == Tcpcb.TIME_WAIT) {
                    close(c, tp, 0, null);
                }
            }
            default -> throw new IllegalStateException("unknown timer kind " + kind);
        }
    }

    // ------------------------------------------------------------------ socket calls

    /** {@code pru_send}: copies what fits into the send buffer, parks the rest, sends. */
    void send(NetCpu c, Socket so, SockReq r) {
        if (so.userClosed) {
            c.complete(r, SoErrno.EBADF, "send on " + so + ", which was closed with close()");
            return;
        }
        if (so.listener != null) {
            c.complete(r, SoErrno.EOPNOTSUPP, "send on listening " + so);
            return;
        }
        Tcpcb tp = so.pcb;
        if (tp == null || tp.detached) {
            failDead(c, so, r, "send", SoErrno.EPIPE);
            return;
        }
        if (tp.state == Tcpcb.SYN_SENT || tp.state == Tcpcb.SYN_RECEIVED) {
            c.complete(r, SoErrno.ENOTCONN, "send on " + so + " before its connect completed");
            return;
        }
        if (tp.state != Tcpcb.ESTABLISHED && tp.state != Tcpcb.CLOSE_WAIT) {
            c.complete(r, SoErrno.EPIPE, "send on " + so + ", which is closing (" + Tcpcb.stateName(tp.state) + ")");
            return;
        }
        if (tp.sendReq != null) {
            c.complete(r, SoErrno.EALREADY, "send on " + so + " while another send is still waiting for buffer space");
            return;
        }
        tp.sendReq = r;
        sendMore(c, tp);
        output(c, tp);
    }

    private void sendMore(NetCpu c, Tcpcb tp) {
        SockReq r = tp.sendReq;
        int n = Math.min(r.len - r.done, tp.snd.space());
        if (n > 0) {
            tp.snd.append(r.buf, r.off + r.done, n);
            r.done += n;
        }
        if (r.done == r.len) {
            tp.sendReq = null;
            r.result(r.len);
            c.complete(r, SoErrno.OK, null);
        }
    }

    /** {@code soreceive}: returns buffered bytes, end of stream, or parks. */
    void recv(NetCpu c, Socket so, SockReq r) {
        if (so.userClosed) {
            c.complete(r, SoErrno.EBADF, "recv on " + so + ", which was closed with close()");
            return;
        }
        if (so.listener != null) {
            c.complete(r, SoErrno.EOPNOTSUPP, "recv on listening " + so + "; use accept");
            return;
        }
        Tcpcb tp = so.pcb;
        if (tp == null || tp.detached) {
            if (so.error != 0) {
                c.complete(r, so.error, so.errorWhy);
            } else if (tp == null) {
                c.complete(r, SoErrno.ENOTCONN, "recv on " + so + ", which is not connected");
            } else {
                r.result(0);
                c.complete(r, SoErrno.OK, null); // closed cleanly: end of stream
            }
            return;
        }
        if (tp.state == Tcpcb.SYN_SENT) {
            c.complete(r, SoErrno.ENOTCONN, "recv on " + so + " before its connect completed");
            return;
        }
        if (tp.recvReq != null) {
            c.complete(r, SoErrno.EALREADY, "recv on " + so + " while another recv is still waiting");
            return;
        }
        tp.recvReq = r;
        wakeRecv(c, tp);
        if (tp.recvReq == r) {
            // no data: it parks. An abort already asked for is honoured now; a later one finds the handler
            if (r.abortRequested() && (r.flags() & Message.ABORTABLE) != 0) {
                tp.recvReq = null;
                c.completeAborted(r, cancelledWhy(so));
            } else {
                r.abortHandler(st.recvAbort);
            }
        }
        flushAck(c, tp);
    }

    /** The detail of a recv cancelled while it waited. */
    static String cancelledWhy(Socket so) {
        return "recv on " + so + " cancelled (abortmsg) while it waited for data";
    }

    /**
     * Takes back {@code r} if it is still the recv parked on its connection and its abort is still asked
     * for (a recv replied and sent again since is a new request, which the old abort must not cancel).
     * By whoever owns the connection: its CPU (message design) or the holder of its PCB lock (mutex).
     */
    static boolean unparkAborted(SockReq r) {
        Tcpcb tp = r.so.pcb;
        if (tp == null || tp.recvReq != r || !r.abortRequested()) {
            return false;
        }
        tp.recvReq = null;
        return true;
    }

    /** Completes the waiting recv if there is data or end of stream; sends a window update if it opened. */
    private void wakeRecv(NetCpu c, Tcpcb tp) {
        SockReq r = tp.recvReq;
        if (r == null) {
            return;
        }
        if (tp.rcv != null && tp.rcv.length() > 0) {
            tp.recvReq = null;
            int n = tp.rcv.take(r.buf, r.off, r.len);
            r.result(n);
            c.complete(r, SoErrno.OK, null);
            // window update when the window grew by two segments or half the buffer
            int grown = (tp.rcvNxt + tp.rcv.space()) - tp.rcvAdv;
            if (grown >= 2 * mss || 2 * grown >= tp.rcv.cap) {
                ackNow(c, tp);
            }
        } else if ((tp.flags & Tcpcb.TF_CANTRCVMORE) != 0) {
            tp.recvReq = null;
            r.result(0);
            c.complete(r, SoErrno.OK, null);
        }
    }

    /** {@code pru_disconnect} via close: FIN after the data, or RST if unread data is thrown away. */
    void closeConnection(NetCpu c, Socket so, SockReq r) {
        if (so.userClosed) {
            c.complete(r, SoErrno.EBADF, "close of " + so + ", which is already closed");
            return;
        }
        so.userClosed = true;
        Tcpcb tp = so.pcb;
        if (tp != null && !tp.detached) {
            if (tp.recvReq != null) {
                c.complete(tp.recvReq, SoErrno.ECONNABORTED, "recv on " + so + " aborted: the socket was closed");
                tp.recvReq = null;
            }
            if (tp.sendReq != null) {
                c.complete(tp.sendReq, SoErrno.ECONNABORTED, "send on " + so + " aborted: the socket was closed");
                tp.sendReq = null;
            }
            switch (tp.state) {
                case Tcpcb.SYN_SENT -> {
                    if (tp.connectReq != null) {
                        c.complete(tp.connectReq, SoErrno.ECONNABORTED, "connect on " + so + " aborted: the socket was closed");
                        tp.connectReq = null;
                    }
                    close(c, tp, 0, null);
                }
                case Tcpcb.SYN_RECEIVED, Tcpcb.ESTABLISHED, Tcpcb.CLOSE_WAIT -> {
                    if (tp.rcv != null && tp.rcv.length() > 0) {
                        drop(c, tp, SoErrno.ECONNABORTED, "closed with unread data", true);
                    } else {
                        tp.flags |= Tcpcb.TF_CANTSENDMORE;
                        tp.finSeq = tp.sndBufSeq + tp.snd.length();
                        tp.state = tp.state == Tcpcb.CLOSE_WAIT ? Tcpcb.LAST_ACK : Tcpcb.FIN_WAIT_1;
                        output(c, tp);
                    }
                }
                default -> { }
            }
        }
        r.result(0);
        c.complete(r, SoErrno.OK, null);
    }

    private void failDead(NetCpu c, Socket so, SockReq r, String call, int otherwise) {
        if (so.error != 0) {
            c.complete(r, so.error, call + " on " + so + ": " + so.errorWhy);
        } else if (so.pcb == null) {
            c.complete(r, SoErrno.ENOTCONN, call + " on " + so + ", which is not connected");
        } else {
            c.complete(r, otherwise, call + " on " + so + ", whose connection is closed");
        }
    }

    // ------------------------------------------------------------------ teardown

    /**
     * {@code tcp_drop}: ends the connection with error {@code err} (a RST goes to the peer if
     * {@code sendRst} and the connection was synchronised).
     */
    void drop(NetCpu c, Tcpcb tp, int err, String why, boolean sendRst) {
        if (tp.detached) {
            return;
        }
        c.dropped.incrementRelease();
        if (sendRst && tp.state != Tcpcb.SYN_SENT && tp.state != Tcpcb.CLOSED) {
            c.resetsSent.incrementRelease();
            emit(c, tp.host, tp.faddr, tp.lport, tp.fport, tp.sndNxt, tp.rcvNxt, TH_RST | TH_ACK, 0, null, 0, 0);
        }
        close(c, tp, err, why);
    }

    /**
     * {@code tcp_close}: completes every call still waiting (with {@code err}, or end of stream),
     * unlinks the PCB, stops its timers, frees its buffers and queued segments, and releases its port.
     */
    void close(NetCpu c, Tcpcb tp, int err, String why) {
        if (tp.detached) {
            return;
        }
        Socket so = tp.so;
        if (err != 0 && so.error == 0) {
            so.error = err;
            so.errorWhy = why;
        }
        completeWaiting(c, tp, err, why);
        if (tp.listener != null) {
            // died before it was handed to its listener: give its backlog place back
            tp.listener.unreserve();
            tp.listener = null;
        }
        env.detach(c, tp);
        for (Callout co : tp.timers) {
            env.cancel(c, co);
        }
        releaseBuffers(c, tp);
        if ((tp.flags & Tcpcb.TF_OWNPORT) != 0) {
            tp.flags &= ~Tcpcb.TF_OWNPORT;
            tp.host.ports.release(tp.lport);
        }
        tp.state = Tcpcb.CLOSED;
        tp.detached = true;
        c.freed.incrementRelease();
    }

    private void completeWaiting(NetCpu c, Tcpcb tp, int err, String why) {
        Socket so = tp.so;
        if (tp.connectReq != null) {
            c.complete(tp.connectReq, err != 0 ? err : SoErrno.ECONNABORTED,
                    err != 0 ? "connect on " + so + ": " + why : "connect on " + so + ": the connection closed");
            tp.connectReq = null;
        }
        if (tp.sendReq != null) {
            c.complete(tp.sendReq, err != 0 ? err : SoErrno.EPIPE,
                    "send on " + so + ": " + (err != 0 ? why : "the connection closed"));
            tp.sendReq = null;
        }
        if (tp.recvReq != null) {
            SockReq r = tp.recvReq;
            tp.recvReq = null;
            if (err != 0) {
                c.complete(r, err, "recv on " + so + ": " + why);
            } else {
                r.result(0);
                c.complete(r, SoErrno.OK, null);
            }
        }
    }

    void releaseBuffers(NetCpu c, Tcpcb tp) {
        if (tp.snd != null) {
            tp.snd.release(c);
            tp.snd = null;
        }
        if (tp.rcv != null) {
            tp.rcv.release(c);
            tp.rcv = null;
        }
        Mbuf q = tp.reass;
        tp.reass = null;
        tp.reassLen = 0;
        while (q != null) {
            Mbuf n = q.nextPkt;
            st.freePacket(c, q);
            q = n;
        }
    }
}
