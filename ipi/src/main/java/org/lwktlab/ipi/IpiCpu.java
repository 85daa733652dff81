package org.lwktlab.ipi;

import org.agrona.concurrent.status.AtomicCounter;
import org.lwktlab.metrics.probe.HighWaterMark;
import org.lwktlab.metrics.probe.Log2Histogram;

/** Bytes, not longs: the layout fills the gap after the object header with the first of them. */
abstract class IpiCpuPad0 {
    byte b000, b001, b002, b003, b004, b005, b006, b007, b008, b009, b010, b011, b012, b013, b014, b015;
    byte b016, b017, b018, b019, b020, b021, b022, b023, b024, b025, b026, b027, b028, b029, b030, b031;
    byte b032, b033, b034, b035, b036, b037, b038, b039, b040, b041, b042, b043, b044, b045, b046, b047;
    byte b048, b049, b050, b051, b052, b053, b054, b055, b056, b057, b058, b059, b060, b061, b062, b063;
    byte b064, b065, b066, b067, b068, b069, b070, b071, b072, b073, b074, b075, b076, b077, b078, b079;
    byte b080, b081, b082, b083, b084, b085, b086, b087, b088, b089, b090, b091, b092, b093, b094, b095;
    byte b096, b097, b098, b099, b100, b101, b102, b103, b104, b105, b106, b107, b108, b109, b110, b111;
    byte b112, b113, b114, b115, b116, b117, b118, b119, b120, b121, b122, b123, b124, b125, b126, b127;
}

abstract class IpiCpuOwnerFields extends IpiCpuPad0 {
    /** Whether this CPU's IPI probes are written ({@link IpiFabric#probes(int, boolean)}). Owner only. */
    boolean probed;
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
    /** Largest inbound depth a drain saw since the last publish; -1 when none did. Owner only. */
    long drainDepthSeen = -1;
    /** Active IPIs sent, and of those the ones that woke their target, since the last publish. Owner only. */
    long sentUnpublished;
    long wokeUnpublished;
    /** Whether a drain found work or wake-ups were flushed since the last {@link IpiFabric#flushWakeups}. Owner only. */
    boolean countedThisStep;
    /** Steps that counted something since the last publish. Owner only. */
    int stepsUnpublished;
    /** Steps in a row that drained nothing, while something was left to publish. Owner only. */
    int quietSteps;
}

abstract class IpiCpuPad1 extends IpiCpuOwnerFields {
    byte b128, b129, b130, b131, b132, b133, b134, b135, b136, b137, b138, b139, b140, b141, b142, b143;
    byte b144, b145, b146, b147, b148, b149, b150, b151, b152, b153, b154, b155, b156, b157, b158, b159;
    byte b160, b161, b162, b163, b164, b165, b166, b167, b168, b169, b170, b171, b172, b173, b174, b175;
    byte b176, b177, b178, b179, b180, b181, b182, b183, b184, b185, b186, b187, b188, b189, b190, b191;
    byte b192, b193, b194, b195, b196, b197, b198, b199, b200, b201, b202, b203, b204, b205, b206, b207;
    byte b208, b209, b210, b211, b212, b213, b214, b215, b216, b217, b218, b219, b220, b221, b222, b223;
    byte b224, b225, b226, b227, b228, b229, b230, b231, b232, b233, b234, b235, b236, b237, b238, b239;
    byte b240, b241, b242, b243, b244, b245, b246, b247, b248, b249, b250, b251, b252, b253, b254, b255;
}

/**
 * One CPU's IPI state (the IPI part of DragonFly's {@code globaldata}): its inbound ring column, its
 * submission queue, its wake-up interlock, its pending-wake mask and its probes.
 *
 * <p>Owner-only fields sit on their own lines, 128 bytes of padding on each side (superclass fields
 * come first in a HotSpot layout, so the classes' order is the memory order): other CPUs read the final
 * references ({@code signal} on every send), and a line shared with fields the owner writes on every
 * step would move between the CPUs on every hop.
 */
final class IpiCpu extends IpiCpuPad1 {

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
    AtomicCounter drainsCounter;
    AtomicCounter cpusyncs;
    Log2Histogram perDrain;
    /**
     * Entries per drain pass since the last {@link IpiFabric#publishProbes} (a {@link Log2Histogram}
     * tally: its count is the drain passes, so they are not counted apart). Written by the owner only.
     */
    final long[] drainTally = Log2Histogram.newTally();
    HighWaterMark depthMax;

    IpiCpu(int id, int ncpus) {
        this.id = id;
        this.cpusyncq = new CpuSync[ncpus + 1];
        this.seqScratch = new long[ncpus];
    }
}
