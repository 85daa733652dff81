package org.lwktlab.netisr;

import java.util.ArrayDeque;

/**
 * A listening socket's state: its port, the connections established and not yet accepted, and the
 * {@code accept} calls waiting for one.
 *
 * <p><b>Ownership.</b> Message design: the queues belong to the listener's home CPU (where
 * {@code listen} ran); every CPU's netisr holds a reference in its listen table (DragonFly replicates
 * listen PCBs to every CPU) to create connections for SYNs it receives, and hands each established
 * connection to the home CPU by message. Mutex design: one listener in the global listen table, its
 * queues under its own lock (lock order: PCB, then listener, then {@code pcbinfo}).
 */
final class Listener {
    final Socket so;
    final Host host;
    final int port;
    final int home;
    final ArrayDeque<Socket> queue = new ArrayDeque<>();
    final ArrayDeque<SockReq> waiting = new ArrayDeque<>();
    /** Mutex design: index of this listener's lock in the listener lock pool. */
    final int lockIndex;
    boolean closed;

    Listener(Socket so, int port, int home, int lockIndex) {
        this.so = so;
        this.host = so.host;
        this.port = port;
        this.home = home;
        this.lockIndex = lockIndex;
    }
}
