package org.lwktlab.netisr;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.agrona.concurrent.status.AtomicCounter;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.NullPort;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.Log2Histogram;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * Everything the network stack keeps per CPU ({@code mycpu}'s share of it): the CPU's netisr thread,
 * its transmit ring and wire delay line, its timer wheel, its end-of-batch ACK queue
 * ({@code tcpcbackq[cpu]}), the socket calls it completed and has yet to reply, random streams, and
 * its probes.
 *
 * <p><b>Ownership.</b> Touched only by code running on this CPU's thread — its netisr, its step hook —
 * so none of it is synchronised. (In the mutex design the {@link CalloutWheel} is the exception: other
 * CPUs arm timers on it under its lock.) Protocol code receives the {@code NetCpu} it runs on as an
 * argument rather than looking it up.
 */
final class NetCpu {
    final int id;
    final NetStack stack;
    final SplittableRandom rng;
    final SplittableRandom wireRng;
    final CalloutWheel wheel;
    LwktThread netisr;
    /** Chooses a connect's local port so the connection hashes to this CPU ({@code lport=rss}). */
    final RssLocalPort rssLocalPort;
    /** The tick message the clock sends this CPU's netisr. */
    final NetCtl tick = new NetCtl(NetCtl.TICK);
    /** {@code clock=poll}: the user-priority thread that sends {@link #tick} each time it runs; else null. */
    LwktThread poller;
    /** {@code clock=poll}: the message that keeps {@link #poller} ready. */
    final Message poll = new Message(NullPort.get());

    // Transmit ring (this CPU's ring on every NIC: the Mbuf says which NIC).
    private Mbuf txHead;
    private Mbuf txTail;
    // Wire delay line: frames held back to be overtaken (reordering).
    Mbuf heldHead;
    int held;

    // End-of-batch ACK queue.
    Tcpcb[] ackq = new Tcpcb[64];
    int ackqLen;

    // Socket calls completed, replied at the next flush (never while a lock is held).
    private SockReq doneHead;
    private SockReq doneTail;
    // Chunks freed under a lock (mutex design), freed at the next flush.
    private long[] deferred = new long[64];
    private int deferredLen;

    /** Packets received in the current netisr run (for packets per drain). */
    int runPackets;
    /** Scratch for the operation a mutex-design critical section runs (its arguments and result). */
    Tcpcb curTp;
    Mbuf curMbuf;
    SockReq curReq;
    Listener curListener;
    Object found;

    // Probes (single writer: this CPU).
    final AtomicCounter rxPackets;
    final AtomicCounter txPackets;
    final AtomicCounter rxBytes;
    final Log2Histogram perDrain;
    final AtomicCounter ackRequests;
    final AtomicCounter acksSent;
    final AtomicCounter delackFired;
    final AtomicCounter rexmtFired;
    final AtomicCounter rexmtSegments;
    final AtomicCounter badChecksum;
    final AtomicCounter dupSegments;
    final AtomicCounter oooSegments;
    final AtomicCounter wireDropped;
    final AtomicCounter wireDuplicated;
    final AtomicCounter wireReordered;
    final AtomicCounter wireCorrupted;
    final AtomicCounter crossCpu;
    final AtomicCounter forwarded;
    final AtomicCounter migrated;
    final AtomicCounter acceptHandoffs;
    final AtomicCounter opened;
    final AtomicCounter freed;
    final AtomicCounter resetsSent;
    final AtomicCounter dropped;
    final AtomicCounter listenOverflows;
    final AtomicCounter chunksAlloc;
    final AtomicCounter chunksFreed;
    final AtomicCounter recvAborted;

    NetCpu(NetStack stack, int id, long seed, long now) {
        this.stack = stack;
        this.id = id;
        this.rssLocalPort = new RssLocalPort(id);
        this.rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + id);
        this.wireRng = new SplittableRandom(stack.config.faults().seed() + id);
        this.wheel = new CalloutWheel(now);
        ProbeRegistry p = stack.kernel.probes();
        Labels l = Labels.of("cpu", Integer.toString(id), "subsystem", "netisr");
        rxPackets = p.counter("lwkt_netisr_rx_packets_total", "TCP segments received by this CPU's netisr", l);
        txPackets = p.counter("lwkt_netisr_tx_packets_total", "TCP segments transmitted from this CPU", l);
        rxBytes = p.counter("lwkt_netisr_rx_payload_bytes_total", "Payload bytes delivered in order to sockets on this CPU", l);
        perDrain = p.histogram("lwkt_netisr_packets_per_drain",
                "Packets handled per netisr run (interrupt/queue coalescing) on this CPU", l);
        ackRequests = p.counter("lwkt_netisr_ack_requests_total",
                "Times the protocol owed an immediate ACK (every 2nd segment, out of order, FIN, window update)", l);
        acksSent = p.counter("lwkt_netisr_acks_sent_total",
                "Segments sent carrying an ACK that was owed (pure or piggybacked)", l);
        delackFired = p.counter("lwkt_netisr_delack_timeouts_total", "Delayed-ACK timers that expired", l);
        rexmtFired = p.counter("lwkt_netisr_rexmt_timeouts_total", "Retransmission timeouts", l);
        rexmtSegments = p.counter("lwkt_netisr_rexmt_segments_total", "Segments sent again (go-back-N after a timeout)", l);
        badChecksum = p.counter("lwkt_netisr_bad_checksum_total", "Segments dropped because a checksum did not verify", l);
        dupSegments = p.counter("lwkt_netisr_dup_segments_total", "Segments received that carried only old data", l);
        oooSegments = p.counter("lwkt_netisr_ooo_segments_total", "Segments received out of order (queued for reassembly)", l);
        wireDropped = p.counter("lwkt_netisr_wire_dropped_total", "Frames the wire lost", l);
        wireDuplicated = p.counter("lwkt_netisr_wire_duplicated_total", "Frames the wire delivered twice", l);
        wireReordered = p.counter("lwkt_netisr_wire_reordered_total", "Frames the wire held back to be overtaken", l);
        wireCorrupted = p.counter("lwkt_netisr_wire_corrupted_total", "Frames the wire flipped a bit in", l);
        listenOverflows = p.counter("lwkt_netisr_listen_overflows_total",
                "SYNs dropped because the listener already had backlog connections not yet accepted", l);
        crossCpu = p.counter("lwkt_netisr_cross_cpu_msgs_total",
                "Messages the stack sent from this CPU to another (packets, replies, forwards, hand-offs)", l);
        forwarded = p.counter("lwkt_netisr_forwarded_total",
                "Socket calls that reached this CPU after their socket moved, forwarded on (stragglers)", l);
        migrated = p.counter("lwkt_netisr_connect_migrations_total",
                "Connects whose 4-tuple hashed to another CPU, so the PCB moved there", l);
        acceptHandoffs = p.counter("lwkt_netisr_accept_handoffs_total",
                "Connections no accept on this CPU took within a tick, handed to a CPU where one waited", l);
        opened = p.counter("lwkt_netisr_pcbs_opened_total", "PCBs created on this CPU", l);
        freed = p.counter("lwkt_netisr_pcbs_freed_total", "PCBs freed on this CPU", l);
        resetsSent = p.counter("lwkt_netisr_resets_sent_total", "RST segments sent", l);
        dropped = p.counter("lwkt_netisr_conn_drops_total", "Connections dropped (reset, timed out, refused, aborted)", l);
        chunksAlloc = p.counter("lwkt_netisr_chunks_alloc_total", "Slab chunks (frames, socket buffers) allocated on this CPU", l);
        chunksFreed = p.counter("lwkt_netisr_chunks_freed_total", "Slab chunks (frames, socket buffers) freed on this CPU", l);
        recvAborted = p.counter("lwkt_netisr_recv_aborted_total",
                "Blocking recvs cancelled by abortmsg while they waited for data (replied ABORTED by this CPU)", l);
    }

    // ------------------------------------------------------------------ transmit ring

    /** Queues a frame for the wire; it leaves at the end of this CPU's step. */
    void transmit(Mbuf m) {
        m.nextPkt = null;
        if (txTail == null) {
            txHead = m;
        } else {
            txTail.nextPkt = m;
        }
        txTail = m;
        txPackets.incrementRelease();
    }

    Mbuf txPoll() {
        Mbuf m = txHead;
        if (m != null) {
            txHead = m.nextPkt;
            if (txHead == null) {
                txTail = null;
            }
            m.nextPkt = null;
        }
        return m;
    }

    boolean txPending() {
        return txHead != null;
    }

    // ------------------------------------------------------------------ ACK queue

    void ackqAdd(Tcpcb tp) {
        if (ackqLen == ackq.length) {
            ackq = Arrays.copyOf(ackq, ackqLen * 2);
        }
        ackq[ackqLen++] = tp;
    }

    // ------------------------------------------------------------------ completions

    /** Records that {@code r} is finished with {@code error}; replied at the next {@link #flush()}. */
    void complete(SockReq r, int error, String why) {
        r.error(error, why);
        r.nextq = null;
        if (doneTail == null) {
            doneHead = r;
        } else {
            doneTail.nextq = r;
        }
        doneTail = r;
    }

    /** Records that {@code r} was cancelled: replied {@code ABORTED} ({@code EINTR}) at the next {@link #flush()}. */
    void completeAborted(SockReq r, String why) {
        r.abortedReply = true;
        recvAborted.incrementRelease();
        complete(r, SoErrno.EINTR, why);
    }

    /** Records slab chunk {@code h} to be freed at the next {@link #flush()} (see {@link PacketMemory}). */
    void deferFree(long h) {
        if (deferredLen == deferred.length) {
            deferred = Arrays.copyOf(deferred, deferredLen * 2);
        }
        deferred[deferredLen++] = h;
    }

    /** Frees the chunks {@link #deferFree} recorded. Never called holding a lock. */
    void freeDeferred() {
        if (deferredLen == 0) {
            return;
        }
        PacketMemory mem = stack.mem;
        for (int i = 0; i < deferredLen; i++) {
            mem.freeNow(this, deferred[i]);
        }
        deferredLen = 0;
    }

    /**
     * Frees the chunks freed under a lock and replies every completed call. Never called holding a
     * lock: a free or a reply may wait for IPI ring space.
     */
    void flush() {
        freeDeferred();
        SockReq r = doneHead;
        doneHead = doneTail = null;
        while (r != null) {
            SockReq n = r.nextq;
            r.nextq = null;
            if (r.replyPort().owner() != null && r.replyPort().owner().id() != id) {
                crossCpu.incrementRelease();
            }
            if (r.abortedReply) {
                r.abortedReply = false;
                Lwkt.replyAborted(r);
            } else {
                Lwkt.replymsg(r, r.errno);
            }
            r = n;
        }
    }
}
