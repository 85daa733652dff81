/**
 * Receive-side scaling: the {@link org.lwktlab.netisr.rss.Toeplitz} hash over a flow's 4-tuple and the
 * NIC's 128-entry {@link org.lwktlab.netisr.rss.RssTable} that maps a hash to a receive queue, hence to
 * the CPU servicing it (dragonfly.md §6 "Steering").
 *
 * <p><b>Threads.</b> Both classes are immutable after construction; any thread may hash.
 */
package org.lwktlab.netisr.rss;
