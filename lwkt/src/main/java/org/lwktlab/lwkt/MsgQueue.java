package org.lwktlab.lwkt;

/**
 * A port's message queue ({@code mp_msgq} + {@code mp_msgq_prio}): an intrusive doubly-linked FIFO per
 * class, {@link Message#PRIORITY} messages first. Linking uses the message's own fields, so queueing
 * allocates nothing.
 *
 * <p><b>Invariants:</b> owner CPU only; a message is on at most one queue, and {@code QUEUED} is set
 * exactly while it is linked (the port sets and clears the flag around these calls). Padded in front
 * ({@link LinePad}): it is allocated right after its {@link ThreadPort}, whose {@code td} every
 * cross-CPU sender reads, and it is written on every message (the port's {@code PortTally}, allocated
 * next, pads the other side).
 */
final class MsgQueue extends LinePad {
    private Message head;
    private Message tail;
    private Message phead;
    private Message ptail;
    private int size;

    void add(Message m) {
        m.next = null;
        if ((m.flags() & Message.PRIORITY) != 0) {
            m.prev = ptail;
            if (ptail == null) {
                phead = m;
            } else {
                ptail.next = m;
            }
            ptail = m;
        } else {
            m.prev = tail;
            if (tail == null) {
                head = m;
            } else {
                tail.next = m;
            }
            tail = m;
        }
        size++;
    }

    Message poll() {
        Message m = phead;
        if (m != null) {
            phead = m.next;
            if (phead == null) {
                ptail = null;
            } else {
                phead.prev = null;
            }
        } else {
            m = head;
            if (m == null) {
                return null;
            }
            head = m.next;
            if (head == null) {
                tail = null;
            } else {
                head.prev = null;
            }
        }
        m.next = null;
        m.prev = null;
        size--;
        return m;
    }

    /** Unlinks {@code m}, which must be on this queue. */
    void remove(Message m) {
        boolean prio = (m.flags() & Message.PRIORITY) != 0;
        if (m.prev != null) {
            m.prev.next = m.next;
        } else if (prio) {
            phead = m.next;
        } else {
            head = m.next;
        }
        if (m.next != null) {
            m.next.prev = m.prev;
        } else if (prio) {
            ptail = m.prev;
        } else {
            tail = m.prev;
        }
        m.next = null;
        m.prev = null;
        size--;
    }

    /** Detaches everything, in dequeue order, as a chain through {@code next}; the queue is empty after. */
    Message takeAll() {
        Message first;
        if (phead != null) {
            first = phead;
            ptail.next = head;
            if (head != null) {
                head.prev = ptail;
            }
        } else {
            first = head;
        }
        head = tail = phead = ptail = null;
        size = 0;
        return first;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }
}
