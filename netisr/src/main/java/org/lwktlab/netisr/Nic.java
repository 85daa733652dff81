package org.lwktlab.netisr;

import org.lwktlab.netisr.rss.RssTable;
import org.lwktlab.netisr.rss.Toeplitz;

/**
 * A simulated multi-queue NIC: one transmit ring per CPU (each CPU queues on its own, so transmit
 * needs no lock) and one receive queue per CPU, chosen per packet by RSS — the Toeplitz hash of the
 * 4-tuple through the 128-entry redirection table — exactly as an 82599 steers. The {@link Wire}
 * moves frames from one NIC's transmit rings to the other's receive queues; a receive queue is its
 * CPU's netisr port.
 *
 * <p>Immutable after boot; the rings themselves are per-CPU state in {@link NetCpu}.
 */
public final class Nic {
    final Toeplitz toeplitz;
    final RssTable rss;
    Host host;
    Nic peer;

    Nic(Toeplitz toeplitz, RssTable rss) {
        this.toeplitz = toeplitz;
        this.rss = rss;
    }

    /** The RSS hash this NIC computes for a frame {@code saddr:sport -> daddr:dport}. */
    public int hash(int saddr, int daddr, int sport, int dport) {
        return toeplitz.hash4(saddr, daddr, sport, dport);
    }

    /** The receive queue (= CPU) a frame {@code saddr:sport -> daddr:dport} lands on. */
    public int rxQueue(int saddr, int daddr, int sport, int dport) {
        return rss.queue(toeplitz.hash4(saddr, daddr, sport, dport));
    }

    public RssTable rssTable() {
        return rss;
    }

    public Host host() {
        return host;
    }
}
