package org.lwktlab.netisr;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 *
 * <p><b>Backlog.</b> {@code qlen} counts the connections this listener created and no {@code accept} has
 * taken yet (half-open ones included): a SYN {@link #reserve reserves} a place, {@link #unreserve}
 * gives it back when an accept takes the socket or the connection dies before that. It is the one
 * field every CPU writes (a SYN may arrive on any of them), so it is a CAS counter: once per
 * connection, never per packet. Without it a server slower to accept than its clients are to connect
 * holds ever more half-used connections (and their socket buffers) until memory runs out.
 */
final class Listener {
    final Socket so;
    final Host host;
    final int port;
    final int home;
    /** Message design: the per-CPU replicas, by CPU; null in the mutex design. */
    final ListenReplica[] replicas;
    /** Mutex design: connections established and not yet accepted. */
    final ArrayDeque<Socket> queue = new ArrayDeque<>();
    /** Mutex design: {@code accept} calls waiting. */
    final ArrayDeque<SockReq> waiting = new ArrayDeque<>();
    /** Mutex design: index of this listener's lock in the listener lock pool. */
    final int lockIndex;
    boolean closed;
    @SuppressWarnings("unused") // through QLEN
    private volatile int qlen;

    private static final VarHandle QLEN;

    static {
        try {
            QLEN = MethodHandles.lookup().findVarHandle(Listener.class, "qlen", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * @param ncpus message design: the number of CPUs to make a replica for; 0 for none (mutex design)
     */
    Listener(Socket so, int port, int home, int lockIndex, int ncpus) {
        this.so = so;
        this.host = so.host;
        this.port = port;
        this.home = home;
        this.lockIndex = lockIndex;
        this.replicas = ncpus == 0 ? null : new ListenReplica[ncpus];
        for (int c = 0; c < ncpus; c++) {
            replicas[c] = new ListenReplica(this, c);
        }
    }

    /** Message design: CPU {@code cpu}'s replica. */
    ListenReplica replica(int cpu) {
        return replicas[cpu];
    }

    /** Takes a place in the backlog for a new connection; false if all {@code backlog} places are taken. Any CPU. */
    boolean reserve(int backlog) {
        int n;
        do {
            n = (int) QLEN.getAcquire(this);
            if (n >= backlog) {
                return false;
            }
        } while (!QLEN.weakCompareAndSetRelease(this, n, n + 1));
        return true;
    }

    /** Gives a place back: an accept took the connection, or it died first. Any CPU. */
    void unreserve() {
        QLEN.getAndAddRelease(this, -1);
    }

    /** Connections created and not yet accepted. */
    int qlen() {
        return (int) QLEN.getAcquire(this);
    }
}
