package org.lwktlab.lwkt;

/**
 * A port's message queue ({@code mp_msgq} + {@code mp_msgq_prio}): an intrusive doubly-linked FIFO per
 * class, {@link Message#PRIORITY} messages first. Linking uses the message's own fields, so queueing
 * allocates nothing.
 *
 * <p><b>Invariants:</b> owner CPU only; a message is on at most one queue, and {@code QUEUED} is set
 * exactly while it is linked (the port sets and clears the flag around these calls). Padded in front
 * ({@link MsgQueuePad}): it is allocated right after its {@link ThreadPort}, whose {@code td} every
 * cross-CPU sender reads, and it is written on every message (the port's {@code PortTally}, allocated
 * next, pads the other side).
 */
final class MsgQueue extends MsgQueuePad {
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

/** Bytes, not longs: the layout would fill a gap before longs with the subclass's small fields. */
abstract class MsgQueuePad {
    byte b000, b001, b002, b003, b004, b005, b006, b007, b008, b009, b010, b011, b012, b013, b014, b015;
    byte b016, b017, b018, b019, b020, b021, b022, b023, b024, b025, b026, b027, b028, b029, b030, b031;
    byte b032, b033, b034, b035, b036, b037, b038, b039, b040, b041, b042, b043, b044, b045, b046, b047;
    byte b048, b049, b050, b051, b052, b053, b054, b055, b056, b057, b058, b059, b060, b061, b062, b063;
    byte b064, b065, b066, b067, b068, b069, b070, b071, b072, b073, b074, b075, b076, b077, b078, b079;
    byte b080, b081, b082, b083, b084, b085, b086, b087, b088, b089, b090, b091, b092, b093, b094, b095;
    byte b096, b097, b098, b099, b100, b101, b102, b103, b104, b105, b106, b107, b108, b109, b110, b111;
    byte b112, b113, b114, b115, b116, b117, b118, b119, b120, b121, b122, b123, b124, b125, b126, b127;
}
