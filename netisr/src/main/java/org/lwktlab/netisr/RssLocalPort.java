package org.lwktlab.netisr;

/**
 * Picks a connecting socket's ephemeral port so that its 4-tuple hashes — through the receiving NIC's
 * Toeplitz hash and indirection table, both directions alike with the symmetric key — to the CPU the
 * {@code connect} runs on ({@code --set lport=rss}). Then the PCB is created where its packets will
 * arrive, and the message design need not move it ({@code tcp_connect}'s migration, dragonfly.md §6)
 * nor chase the socket's later calls; in the mutex design the connecting CPU is likewise the one the
 * connection's packets are processed on. With {@code lport=any} the port is the CPU's next free one,
 * and where its 4-tuple hashes is chance (1 − 1/ncpus of connects land elsewhere), as in DragonFly's
 * {@code in_pcbbind_remote}, whose search starts in the CPU's port shard and does not look at the hash.
 *
 * <p>One per CPU, reused for every connect there (set, then used by {@link PortSpace#bindEphemeral(int,
 * PortSpace.Preference, int)}), so choosing a port allocates nothing. Owned by its CPU.
 */
final class RssLocalPort implements PortSpace.Preference {
    /** Free ports examined before giving up and taking any (a miss has probability (1 − 1/ncpus)^TRIES). */
    static final int TRIES = 64;

    private final int cpu;
    private Nic nic;
    private int faddr;
    private int laddr;
    private int fport;

    RssLocalPort(int cpu) {
        this.cpu = cpu;
    }

    /** Prepares for a connect from {@code laddr} (NIC {@code nic}) to {@code faddr:fport}. */
    RssLocalPort to(Nic nic, int laddr, int faddr, int fport) {
        this.nic = nic;
        this.laddr = laddr;
        this.faddr = faddr;
        this.fport = fport;
        return this;
    }

    @Override
    public boolean fits(int lport) {
        return nic.rxQueue(faddr, laddr, fport, lport) == cpu;
    }
}
