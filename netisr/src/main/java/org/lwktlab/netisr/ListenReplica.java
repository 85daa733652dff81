package org.lwktlab.netisr;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;

/**
 * One CPU's replica of a listening socket (message design): DragonFly replicates a listen PCB into every
 * netisr's wildcard table, so a SYN is handled on the CPU its 4-tuple hashes to; here each replica also
 * keeps that CPU's own accept queue and its own waiting {@code accept} calls, so a connection
 * established on a CPU is accepted there — by an {@code accept} issued on that CPU — with no message
 * to any other CPU. (DragonFly gets per-CPU accept from its {@code SO_REUSEPORT} local groups,
 * {@code inp_localgroup}: one listen socket per netisr CPU; a single listen socket there shares one
 * completion queue under a token. The lab's listener folds the group into one socket with a replica
 * per CPU, so one {@code accept} call serves any CPU.)
 *
 * <p><b>Ownership.</b> Everything but {@link #waiters} belongs to CPU {@link #cpu}'s netisr and is
 * touched only there. {@link #waiters} — how many {@code accept}s wait here — is written (release)
 * only by that netisr and read (acquire) by the others' clock ticks, which hand a connection nobody on
 * its own CPU accepted to a CPU where an {@code accept} waits (the balancing that keeps a server with
 * fewer accept loops than CPUs served). A stale read only delays a hand-off to the next tick or
 * sends a connection to a CPU whose waiter has just been served, where it waits in that queue for the
 * next accept or tick: no connection is lost or accepted twice, because only the owning CPU dequeues.
 *
 * <p>Invariants: {@code listening} is true from the listen walk's visit to this CPU until the close
 * walk's; while it is false {@code queue} and {@code waiting} are empty; {@code waiters ==
 * waiting.size()} after every change on the owning CPU.
 */
final class ListenReplica {
    private static final VarHandle WAITERS;

    static {
        try {
            WAITERS = MethodHandles.lookup().findVarHandle(ListenReplica.class, "waiters", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Listener listener;
    final int cpu;
    /** Connections established on (or handed to) this CPU and not yet accepted, oldest first. */
    final ArrayDeque<Socket> queue = new ArrayDeque<>();
    /** Connections ever queued / taken from the queue here; {@code enqueued} when the last tick looked. */
    private long enqueued;
    private long dequeued;
    private long enqueuedAtTick;
    /** {@code accept} calls waiting on this CPU. */
    final ArrayDeque<SockReq> waiting = new ArrayDeque<>();
    /** The listen walk entered this replica in its CPU's listen table; the close walk clears it. */
    boolean listening;

    // The one field other CPUs read; padded so the owner's writes to it do not share a line with
    // a neighbouring replica's (replicas of one listener are allocated together).
    @SuppressWarnings("unused") private long p1, p2, p3, p4, p5, p6, p7;
    @SuppressWarnings("unused") // through WAITERS
    private volatile int waiters;
    @SuppressWarnings("unused") private long q1, q2, q3, q4, q5, q6, q7;

    ListenReplica(Listener listener, int cpu) {
        this.listener = listener;
        this.cpu = cpu;
    }

    /** Queues an established connection for the next accept here. Owner CPU. */
    void enqueue(Socket so) {
        queue.add(so);
        enqueued++;
    }

    /** The oldest queued connection, or null. Owner CPU. */
    Socket dequeue() {
        Socket so = queue.poll();
        if (so != null) {
            dequeued++;
        }
        return so;
    }

    /**
     * Called once per clock tick: how many queued connections were already queued at the previous
     * tick — a whole tick without an accept here — and so are the oldest ones at the head of the queue.
     * Owner CPU.
     */
    int agedSinceLastTick() {
        int aged = (int) Math.max(0, enqueuedAtTick - dequeued);
        enqueuedAtTick = enqueued;
        return aged;
    }

    /** Parks {@code r} until a connection arrives here. Owner CPU. */
    void park(SockReq r) {
        waiting.add(r);
        WAITERS.setRelease(this, waiting.size());
    }

    /** The oldest waiting {@code accept}, or null. Owner CPU. */
    SockReq unpark() {
        SockReq r = waiting.poll();
        if (r != null) {
            WAITERS.setRelease(this, waiting.size());
        }
        return r;
    }

    /** {@code accept} calls waiting here now, as last published by the owner. Any CPU. */
    int waiters() {
        return (int) WAITERS.getAcquire(this);
    }
}
