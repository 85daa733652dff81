package org.lwktlab.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The queue-depth plot's choice of series and their legend names. */
class ChartsTest {
    @Test
    void onlyQueueDepthsAreHandOffPoints() {
        assertTrue(Charts.isHandOff("lwkt_port_depth{cpu=\"0\",port=\"client0\"}"));
        assertTrue(Charts.isHandOff("lwkt_ipi_queue_depth{cpu=\"1\"}"));
        assertTrue(Charts.isHandOff("lwkt_submission_depth"));
        assertFalse(Charts.isHandOff("lwkt_slab_bytes_in_use{subsystem=\"slab\",design=\"mutex\"}"));
        assertFalse(Charts.isHandOff("lwkt_slab_zones{cpu=\"0\"}"));
        assertFalse(Charts.isHandOff("lwkt_port_depth_max{cpu=\"0\"}"));
    }

    @Test
    void legendNamesThePointAndItsCpu() {
        assertEquals("port client0 (cpu 0)", Charts.shortKey("lwkt_port_depth{cpu=\"0\",port=\"client0\"}"));
        assertEquals("IPI rings in (cpu 1)", Charts.shortKey("lwkt_ipi_queue_depth{cpu=\"1\"}"));
        assertEquals("submissions", Charts.shortKey("lwkt_submission_depth"));
    }

    @Test
    void highWaterMarkKeyKeepsTheLabels() {
        assertEquals("lwkt_port_depth_max{cpu=\"0\"}", Charts.markKey("lwkt_port_depth{cpu=\"0\"}"));
        assertEquals("lwkt_submission_depth_max", Charts.markKey("lwkt_submission_depth"));
    }
}
