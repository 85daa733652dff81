package org.lwktlab.lwkt;

import org.lwktlab.metrics.probe.Log2Histogram;

/** Bytes, not longs: the layout fills the gap after the object header with the first of them. */
abstract class PortTallyPad0 {
    byte b000, b001, b002, b003, b004, b005, b006, b007, b008, b009, b010, b011, b012, b013, b014, b015;
    byte b016, b017, b018, b019, b020, b021, b022, b023, b024, b025, b026, b027, b028, b029, b030, b031;
    byte b032, b033, b034, b035, b036, b037, b038, b039, b040, b041, b042, b043, b044, b045, b046, b047;
    byte b048, b049, b050, b051, b052, b053, b054, b055, b056, b057, b058, b059, b060, b061, b062, b063;
    byte b064, b065, b066, b067, b068, b069, b070, b071, b072, b073, b074, b075, b076, b077, b078, b079;
    byte b080, b081, b082, b083, b084, b085, b086, b087, b088, b089, b090, b091, b092, b093, b094, b095;
    byte b096, b097, b098, b099, b100, b101, b102, b103, b104, b105, b106, b107, b108, b109, b110, b111;
    byte b112, b113, b114, b115, b116, b117, b118, b119, b120, b121, b122, b123, b124, b125, b126, b127;
}

abstract class PortTallyFields extends PortTallyPad0 {
    /** Messages per thread run, tallied for the port's {@code lwkt_port_per_run} histogram (itself padded). */
    final long[] runs = Log2Histogram.newTally();
    /** Messages queued since the last publish. */
    long enqueued;
    /** Messages unlinked from the queue (not run) since the last publish. */
    long unlinked;
    /** Largest depth a thread run began with since the last publish; -1 when none. */
    int depthSeen = -1;
    /** Whether the port is in its CPU's list of ports to publish. */
    boolean queued;
}

/**
 * A {@link ThreadPort}'s probe counts kept in owner memory between two publishes
 * ({@link Cpu#publishProbes}): written on the path of every message to the port, by its owner CPU only.
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
