package org.lwktlab.netisr;

import org.lwktlab.lwkt.Message;

/**
 * A packet: the header ({@code struct mbuf} with its packet header) is this object, pooled in an
 * {@code ObjCache}; the frame — IPv4 and TCP headers and payload — lives in slab memory at
 * {@link #data}. The header <em>is</em> the netmsg the packet travels to its netisr in (DragonFly
 * embeds {@code netmsg_packet} in the mbuf), so sending a packet to a CPU allocates nothing.
 *
 * <p>Packets are one-way: the receiving netisr replies them to the null port only to close the
 * message's books (every message is replied exactly once), then frees them or keeps them in a
 * reassembly queue. The parsed fields are filled by the receiver from the frame.
 *
 * <p><b>Ownership.</b> One owner at a time: the transmitting CPU (TX ring, wire), then the receiving
 * netisr, then whoever frees it; links ({@link #nextPkt}) belong to the current owner's queue.
 */
final class Mbuf extends Message {
    /** Slab handle of the frame, 0 when none. */
    long data;
    /** Frame length in bytes. */
    int len;
    /** Transmit: the NIC it leaves by. Receive: the NIC it arrived on. */
    Nic ifp;
    /** The receiving NIC's RSS hash ({@code m_pkthdr.hash}). */
    int hash;
    /** Link in a TX ring, a wire delay line or a reassembly queue. */
    Mbuf nextPkt;
    /** Wire delay line: packets still to pass before this one is released. */
    int holdFor;

    // Parsed by the receiver (host order).
    int saddr;
    int daddr;
    int sport;
    int dport;
    int seq;
    int ack;
    int thflags;
    int win;
    /** Payload bytes. */
    int plen;
    /** Offset of the (remaining) payload in the frame; grows when the front is trimmed. */
    int poff;

    Mbuf() {}

    @Override
    public String toString() {
        return "Mbuf[" + len + " bytes, " + flagNames(flags()) + "]";
    }
}
