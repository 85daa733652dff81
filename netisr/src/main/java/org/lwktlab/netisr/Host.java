package org.lwktlab.netisr;

import org.lwktlab.netisr.inet.Ip4Tcp;

/**
 * One simulated machine on the wire: an IPv4 address, a {@link Nic}, and its local ports. Both hosts
 * of a {@link NetStack} run in one kernel and share its CPUs and netisr threads (as one machine's
 * netisrs serve all its interfaces); each keeps its own PCBs.
 */
public final class Host {
    final int index;
    final String name;
    final int addr;
    final Nic nic;
    final PortSpace ports;

    Host(int index, String name, int addr, Nic nic, int ncpus) {
        this.index = index;
        this.name = name;
        this.addr = addr;
        this.nic = nic;
        this.ports = new PortSpace(ncpus);
    }

    public String name() {
        return name;
    }

    /** The host's IPv4 address as an int ({@code 10.0.0.1 = 0x0a000001}). */
    public int addr() {
        return addr;
    }

    public Nic nic() {
        return nic;
    }

    /** The host's bound ports. */
    public PortSpace ports() {
        return ports;
    }

    @Override
    public String toString() {
        return name + "(" + Ip4Tcp.addr(addr) + ")";
    }
}
