package org.lwktlab.slab;

/**
 * A magazine (Bonwick, USENIX'01): a fixed array of cached objects ("rounds") with a count, used as a
 * stack. Owned by one CPU's {@link ObjCache} slot at a time, or parked in the {@link MagazineDepot}
 * (where the depot lock owns it); the hand-over through the lock publishes its contents.
 *
 * <p>Padded on both sides: the owner writes {@code count} on every get/put, and a magazine of another
 * CPU allocated next to it must not share that cache line.
 */
final class Magazine extends MagazineFields {
    @SuppressWarnings("unused")
    private long q0, q1, q2, q3, q4, q5, q6, q7;

    Magazine(int capacity) {
        super(capacity);
    }

    boolean isEmpty() {
        return count == 0;
    }

    boolean isFull() {
        return count == rounds.length;
    }

    Object pop() {
        Object o = rounds[--count];
        rounds[count] = null;
        return o;
    }

    void push(Object o) {
        rounds[count++] = o;
    }
}

abstract class MagazinePad {
    @SuppressWarnings("unused")
    private long p0, p1, p2, p3, p4, p5, p6, p7;
}

abstract class MagazineFields extends MagazinePad {
    final Object[] rounds;
    int count;

    MagazineFields(int capacity) {
        this.rounds = new Object[capacity];
    }
}
