package org.lwktlab.netisr;

import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.NullPort;
import org.lwktlab.netisr.inet.Ip4Tcp;

/**
 * The in-memory wire between the two NICs. At the end of each step of a CPU (the NIC's transmit
 * start, DragonFly's deferred {@code if_start}) it takes the frames that CPU queued, applies the
 * {@link WireFaults} from that CPU's seeded stream, and hands each surviving frame to the receiving
 * NIC, which computes its RSS hash from the frame's headers and puts it on the queue of the CPU the
 * redirection table names — as a message to that CPU's netisr (a local enqueue when it is this CPU,
 * an IPI otherwise).
 *
 * <p>Reordering holds a frame in the transmitting CPU's delay line until 1..depth later frames have
 * passed it, or until that CPU's next clock tick (so a held frame is never stranded when traffic
 * stops). Duplicates are fresh frames (new header, new slab chunk) with the same bytes.
 *
 * <p><b>Threads.</b> All state is the transmitting CPU's ({@link NetCpu}); each CPU runs the wire for
 * its own frames only.
 */
final class Wire {
    private final NetStack st;
    private final WireFaults faults;
    private final boolean faulty;

    Wire(NetStack st) {
        this.st = st;
        this.faults = st.config.faults();
        this.faulty = faults.any();
    }

    /** Sends every frame CPU {@code c} queued. On CPU {@code c}. */
    void transmit(NetCpu c) {
        Mbuf m;
        while ((m = c.txPoll()) != null) {
            if (!faulty) {
                deliver(c, m);
                continue;
            }
            if (faults.loss() > 0 && c.wireRng.nextDouble() < faults.loss()) {
                c.wireDropped.incrementRelease();
                st.freePacket(c, m);
                continue;
            }
            if (faults.corrupt() > 0 && c.wireRng.nextDouble() < faults.corrupt()) {
                int pos = c.wireRng.nextInt(m.len);
                st.mem.put8(m.data, pos, st.mem.u8(m.data, pos) ^ (1 << c.wireRng.nextInt(8)));
                c.wireCorrupted.incrementRelease();
            }
            Mbuf copy = null;
            if (faults.dup() > 0 && c.wireRng.nextDouble() < faults.dup()) {
                copy = st.packet(c, m.len);
                st.mem.copy(m.data, 0, copy.data, 0, m.len);
                copy.ifp = m.ifp;
                c.wireDuplicated.incrementRelease();
            }
            send(c, m);
            if (copy != null) {
                send(c, copy);
            }
        }
    }

    /** One frame through the reordering stage. */
    private void send(NetCpu c, Mbuf m) {
        if (faults.reorder() > 0 && c.wireRng.nextDouble() < faults.reorder()) {
            m.holdFor = 1 + c.wireRng.nextInt(faults.reorderDepth());
            m.nextPkt = c.heldHead;
            c.heldHead = m;
            c.held++;
            c.wireReordered.incrementRelease();
            return;
        }
        deliver(c, m);
        if (c.held > 0) {
            passHeld(c);
        }
    }

    /** A frame passed the held ones: release those it was the last to overtake. */
    private void passHeld(NetCpu c) {
        Mbuf prev = null;
        Mbuf h = c.heldHead;
        while (h != null) {
            Mbuf next = h.nextPkt;
            if (--h.holdFor <= 0) {
                if (prev == null) {
                    c.heldHead = next;
                } else {
                    prev.nextPkt = next;
                }
                c.held--;
                h.nextPkt = null;
                deliver(c, h);
            } else {
                prev = h;
            }
            h = next;
        }
    }

    /** At CPU {@code c}'s tick: everything still held goes out. */
    void releaseHeld(NetCpu c) {
        Mbuf h = c.heldHead;
        c.heldHead = null;
        c.held = 0;
        while (h != null) {
            Mbuf next = h.nextPkt;
            h.nextPkt = null;
            deliver(c, h);
            h = next;
        }
    }

    /** Shutdown: frees held frames. */
    void discardHeld(NetCpu c) {
        Mbuf h = c.heldHead;
        c.heldHead = null;
        c.held = 0;
        while (h != null) {
            Mbuf next = h.nextPkt;
            st.freePacket(c, h);
            h = next;
        }
    }

    /** The receiving NIC: RSS over the frame's 4-tuple, then its netisr's queue. */
    private void deliver(NetCpu c, Mbuf m) {
        Nic dst = m.ifp.peer;
        PacketMemory mem = st.mem;
        long d = m.data;
        int saddr = mem.i32(d, Ip4Tcp.OFF_SRC);
        int daddr = mem.i32(d, Ip4Tcp.OFF_DST);
        int sport = mem.u16(d, Ip4Tcp.OFF_SPORT);
        int dport = mem.u16(d, Ip4Tcp.OFF_DPORT);
        m.hash = dst.toeplitz.hash4(saddr, daddr, sport, dport);
        int q = dst.rss.queue(m.hash);
        m.ifp = dst;
        if (q != c.id) {
            c.crossCpu.incrementRelease();
        }
        m.init(NullPort.get());
        Lwkt.sendmsg(st.cpus[q].netisr.port(), m);
    }
}
