package org.lwktlab.lwkt;

import org.lwktlab.metrics.probe.Log2Histogram;

abstract class PortTallyFields extends LinePad {
    /** Messages per thread run, tallied for the port's {@code lwkt_port_per_run} histogram (itself padded). */
    final long[] runs = Log2Histogram.newTally();
    /** Runs of a single message, not yet folded into {@link #runs}. */
    long singleRuns;
    /** Messages unlinked from the queue (not run) since the last publish. */
    long unlinked;
    /** Messages taken from the queue (run or unlinked) and published, since the probes were first on. */
    long dequeuedTotal;
    /** What the enqueue counter was last raised to ({@code ThreadPort#publishEnqueued}). */
    long enqueuedPublished;
    /** Largest depth a thread run began with since the last publish; -1 when none. */
    int depthSeen = -1;
    /** Whether the port is in its CPU's list of ports to publish. */
    boolean queued;
}

/**
 * A {@link ThreadPort}'s probe counts kept in owner memory between two publishes
 * ({@link Cpu#publishProbes}): written at every run of the port's thread, by its owner CPU only.
 *
 * <p>Padded on both sides: ports are allocated side by side (a ping-pong's two ports often share a
 * line), and two CPUs each writing its own port's count into one line would move that line between
 * them on every message — a cache-line transfer per hop, more than the probes save.
 */
final class PortTally extends PortTallyFields {
    byte b128, b129, b130, b131, b132, b133, b134, b135, b136, b137, b138, b139, b140, b141, b142, b143;
    byte b144, b145, b146, b147, b148, b149, b150, b151, b152, b153, b154, b155, b156, b157, b158, b159;
    byte b160, b161, b162, b163, b164, b165, b166, b167, b168, b169, b170, b171, b172, b173, b174, b175;
    byte b176, b177, b178, b179, b180, b181, b182, b183, b184, b185, b186, b187, b188, b189, b190, b191;
    byte b192, b193, b194, b195, b196, b197, b198, b199, b200, b201, b202, b203, b204, b205, b206, b207;
    byte b208, b209, b210, b211, b212, b213, b214, b215, b216, b217, b218, b219, b220, b221, b222, b223;
    byte b224, b225, b226, b227, b228, b229, b230, b231, b232, b233, b234, b235, b236, b237, b238, b239;
    byte b240, b241, b242, b243, b244, b245, b246, b247, b248, b249, b250, b251, b252, b253, b254, b255;
}
