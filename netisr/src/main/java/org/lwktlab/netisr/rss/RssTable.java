package org.lwktlab.netisr.rss;

import java.util.Arrays;

/**
 * A NIC's RSS redirection (indirection) table: 128 entries, each naming a receive queue; a packet
 * goes to queue {@code table[hash & 127]}. Real NICs (82599, ixgbe, DragonFly's {@code if_ringmap})
 * fill it round-robin over the queues, so a CPU count that does not divide 128 gets a slightly uneven
 * share, exactly as on hardware. Queue {@code q} is serviced by CPU {@code q}.
 *
 * <p>Immutable after construction; any thread may read it.
 */
public final class RssTable {
    /** Entries in the table (the 82599's RETA size). */
    public static final int SIZE = 128;

    private final byte[] table = new byte[SIZE];
    private final int queues;

    /** A round-robin table over {@code queues} queues (1..128). */
    public RssTable(int queues) {
        if (queues < 1 || queues > SIZE) {
            throw new IllegalArgumentException("an RSS table spreads over 1.." + SIZE + " queues, got " + queues);
        }
        this.queues = queues;
        for (int i = 0; i < SIZE; i++) {
            table[i] = (byte) (i % queues);
        }
    }

    /** The queue (= CPU) for a packet whose RSS hash is {@code hash}. */
    public int queue(int hash) {
        return table[hash & (SIZE - 1)];
    }

    /** Number of queues it spreads over. */
    public int queues() {
        return queues;
    }

    /** The entries, for inspection. */
    public int[] entries() {
        int[] e = new int[SIZE];
        for (int i = 0; i < SIZE; i++) {
            e[i] = table[i];
        }
        return e;
    }

    @Override
    public String toString() {
        return "RssTable" + Arrays.toString(entries());
    }
}
