package org.lwktlab.ipi;

import org.agrona.concurrent.status.AtomicCounter;
import org.lwktlab.metrics.probe.HighWaterMark;
import org.lwktlab.metrics.probe.Log2Histogram;

abstract class IpiCpuPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p0a, p0b, p0c, p0d, p0e, p0f;
}

abstract class IpiCpuOwnerFields extends IpiCpuPad0 {
    /** Targets sent an active IPI since the last {@link IpiFabric#flushWakeups}. Owner only. */
    long pendingWake;
    /** Active sends since the last flush. Owner only. */
    long pendingActiveSends;
    /** Pending cpusync rendezvous on this CPU, indexed by master (ncpus = an external master). */
    CpuSync[] cpusyncq;
    /** Entries in {@link #cpusyncq}. Owner only. */
    int cpusyncPending;
    /** Depth of cpusyncs this CPU is master of ({@code td_cscount}). Owner only. */
    int cscount;
    /** Scratch for {@link IpiFabric#synchronizeIpiqs}. Owner only. */
    long[] seqScratch;
}

/**
 * One CPU's IPI state (the IPI part of DragonFly's {@code globaldata}): its inbound ring column, its
 * submission queue, its wake-up interlock, its pending-wake mask and its probes.
 *
 * <p>Owner-only fields sit on their own padded lines; other CPUs read only the final references.
 */
final class IpiCpu extends IpiCpuOwnerFields {
    long p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p1a, p1b, p1c, p1d, p1e, p1f;

    final int id;
    final IpiSignal signal = new IpiSignal();
    /** Rings into this CPU, one per other CPU. */
    IpiQueue[] inbound;
    SubmissionQueue submissions;

    AtomicCounter activeSent;
    AtomicCounter passiveSent;
    AtomicCounter passiveEscalated;
    AtomicCounter ringFullWaits;
    AtomicCounter wakeups;
    AtomicCounter wakeupsSkipped;
    AtomicCounter drains;
    AtomicCounter cpusyncs;
    Log2Histogram perDrain;
    HighWaterMark depthMax;

    IpiCpu(int id, int ncpus) {
        this.id = id;
        this.cpusyncq = new CpuSync[ncpus + 1];
        this.seqScratch = new long[ncpus];
    }
}
