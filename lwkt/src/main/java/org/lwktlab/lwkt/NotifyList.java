package org.lwktlab.lwkt;

import java.util.Objects;

/**
 * Where a subsystem parks requests that must wait — a blocking {@code recv} with no data, an
 * {@code accept} with no connection — so that each one can be cancelled: DragonFly's
 * {@code so_notify} list of {@code netmsg_so_notify} messages, whose abort function unlinks the waiter
 * and replies it. {@link #park} links a request and registers its {@link AbortHandler}; an
 * {@code abortmsg} then reaches the owning CPU, which unlinks it and replies it {@link Message#ABORTED}.
 * {@link #poll} takes the oldest waiter back (clearing its abort handler) for the subsystem to complete.
 *
 * <p><b>Invariants.</b> Owner CPU only: the list, its links and the waiters' abort handlers are touched
 * only by the CPU that owns it, so an abort (run there, in the order the CPU sees it) and a completion
 * can never both happen — whichever comes first unlinks the request, and the other finds it gone. A
 * request is on at most one list. Nothing is lost: {@link #replyAll} empties the list with an error
 * (from a {@link ShutdownHook}, a socket close). Links live in a small node pool, so parking allocates
 * only when the list grows past its largest size so far.
 */
public final class NotifyList {
    private final String name;
    private final AbortHandler onAbort = this::aborted;
    private Node head;
    private Node tail;
    private Node free;
    private int size;

    private static final class Node {
        Message msg;
        Node prev;
        Node next;
    }

    /** An empty list; {@code name} shows in errors ({@code "so_rcv of socket 7"}). */
    public NotifyList(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * Parks request {@code m}, which the calling handler holds (it neither replied nor forwarded it), at
     * the tail. If an abort was already requested it is replied {@code ABORTED} at once instead.
     *
     * @return true if parked; false if it was aborted instead
     */
    public boolean park(Message m) {
        int f = m.flags();
        if ((f & (Message.DONE | Message.REPLY | Message.QUEUED)) != 0) {
            throw new IllegalStateException("notify list '" + name + "': " + m + " is not a request being handled"
                    + " (flags " + Message.flagNames(f) + ")");
        }
        if (m.abortRequested() && (f & Message.ABORTABLE) != 0) {
            Lwkt.replyAborted(m);
            return false;
        }
        Node n = free;
        if (n == null) {
            n = new Node();
        } else {
            free = n.next;
        }
        n.msg = m;
        n.next = null;
        n.prev = tail;
        if (tail == null) {
            head = n;
        } else {
            tail.next = n;
        }
        tail = n;
        size++;
        m.abortHandler(onAbort);
        return true;
    }

    /** The oldest parked request, unlinked and no longer abortable through this list; null if none. */
    public Message poll() {
        Node n = head;
        if (n == null) {
            return null;
        }
        return unlink(n);
    }

    /** The oldest parked request without unlinking it; null if none. */
    public Message peek() {
        return head == null ? null : head.msg;
    }

    /** Unlinks {@code m} if it is parked here (the subsystem completes it some other way). */
    public boolean remove(Message m) {
        for (Node n = head; n != null; n = n.next) {
            if (n.msg == m) {
                unlink(n);
                return true;
            }
        }
        return false;
    }

    /** Replies every parked request with {@code error} (socket closed, shutdown); returns how many. */
    public int replyAll(int error) {
        int k = 0;
        Message m;
        while ((m = poll()) != null) {
            Lwkt.replymsg(m, error);
            k++;
        }
        return k;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    private Message unlink(Node n) {
        if (n.prev == null) {
            head = n.next;
        } else {
            n.prev.next = n.next;
        }
        if (n.next == null) {
            tail = n.prev;
        } else {
            n.next.prev = n.prev;
        }
        Message m = n.msg;
        n.msg = null;
        n.prev = null;
        n.next = free;
        free = n;
        size--;
        m.abortHandler(null);
        return m;
    }

    /** The abort handler of every parked request: runs on the owner CPU when the abort arrives. */
    private void aborted(Message m) {
        if (remove(m)) {
            Lwkt.replyAborted(m);
        }
    }

    @Override
    public String toString() {
        return "NotifyList[" + name + ", " + size + " parked]";
    }
}
