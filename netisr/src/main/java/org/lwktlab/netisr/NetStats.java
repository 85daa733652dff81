package org.lwktlab.netisr;

import java.util.Map;

/**
 * The stack's counters summed over CPUs at one moment ({@link NetStack#stats()}); subtract two with
 * {@link #minus} for a window. Each field is the sum of the per-CPU probe of the same meaning
 * ({@code lwkt_netisr_*}); lock figures come from the mutex design's lock handles.
 *
 * @param rxPackets       segments received by netisrs
 * @param txPackets       segments transmitted
 * @param drains          netisr runs that handled at least one packet
 * @param drainedPackets  packets handled in those runs (so packets per drain = drainedPackets / drains)
 * @param ackRequests     immediate ACKs the protocol owed
 * @param acksSent        segments that carried an owed ACK (acks coalesced = ackRequests - acksSent)
 * @param delackTimeouts  delayed-ACK timers that expired
 * @param rexmtTimeouts   retransmission timeouts
 * @param rexmtSegments   segments sent again
 * @param badChecksum     segments dropped on a bad checksum
 * @param dupSegments     segments that carried only old data
 * @param oooSegments     segments queued out of order
 * @param wireDropped     frames lost by the wire
 * @param wireDuplicated  frames duplicated by the wire
 * @param wireReordered   frames held back by the wire
 * @param wireCorrupted   frames with a bit flipped by the wire
 * @param crossCpu        messages the stack sent between CPUs (packets, calls, replies, forwards, hand-offs)
 * @param forwarded       calls forwarded after their socket moved
 * @param migrations      connects whose PCB moved to another CPU
 * @param opened          PCBs created
 * @param freed           PCBs freed
 * @param netisrDepthMax  deepest any netisr's queue was seen (all time)
 * @param locks           mutex design, per lock family ({@code pcbinfo}, {@code inpcb}, {@code solisten},
 *                        {@code callout}): {acquisitions, contended}; empty for the message design
 */
public record NetStats(long rxPackets, long txPackets, long drains, long drainedPackets, long ackRequests, long acksSent,
                       long delackTimeouts, long rexmtTimeouts, long rexmtSegments, long badChecksum, long dupSegments,
                       long oooSegments, long wireDropped, long wireDuplicated, long wireReordered, long wireCorrupted,
                       long crossCpu, long forwarded, long migrations, long opened, long freed, long netisrDepthMax,
                       Map<String, long[]> locks) {

    /** The increase from {@code before} to this snapshot (the depth maximum is kept as is). */
    public NetStats minus(NetStats before) {
        Map<String, long[]> l = new java.util.LinkedHashMap<>();
        locks.forEach((k, v) -> {
            long[] b = before.locks.getOrDefault(k, new long[2]);
            l.put(k, new long[] {v[0] - b[0], v[1] - b[1]});
        });
        return new NetStats(rxPackets - before.rxPackets, txPackets - before.txPackets, drains - before.drains,
                drainedPackets - before.drainedPackets, ackRequests - before.ackRequests, acksSent - before.acksSent,
                delackTimeouts - before.delackTimeouts, rexmtTimeouts - before.rexmtTimeouts,
                rexmtSegments - before.rexmtSegments, badChecksum - before.badChecksum, dupSegments - before.dupSegments,
                oooSegments - before.oooSegments, wireDropped - before.wireDropped,
                wireDuplicated - before.wireDuplicated, wireReordered - before.wireReordered,
                wireCorrupted - before.wireCorrupted, crossCpu - before.crossCpu, forwarded - before.forwarded,
                migrations - before.migrations, opened - before.opened, freed - before.freed, netisrDepthMax,
                Map.copyOf(l));
    }

    /** Packets per netisr run that handled packets (receive coalescing). */
    public double packetsPerDrain() {
        return drains == 0 ? Double.NaN : (double) drainedPackets / drains;
    }

    /** Share of owed ACKs that did not need a segment of their own (0 = none coalesced). */
    public double acksCoalescedRatio() {
        return ackRequests == 0 ? Double.NaN : 1.0 - (double) acksSent / ackRequests;
    }

    /** Cross-CPU messages per received packet. */
    public double crossCpuPerPacket() {
        return rxPackets == 0 ? Double.NaN : (double) crossCpu / rxPackets;
    }
}
