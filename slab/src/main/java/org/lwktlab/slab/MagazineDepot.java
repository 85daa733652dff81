package org.lwktlab.slab;

import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The depot of an {@link ObjCache}: stacks of full and of empty magazines shared by all CPUs, under one
 * lock (DragonFly's per-cluster depot spinlock). CPUs come here once per magazine's worth of gets or
 * puts, never per object, so the lock is amortised over {@code capacity} operations.
 *
 * <p><b>Invariants.</b> Every magazine in {@code full} is full and every one in {@code empty} is empty;
 * the lock is held for every access; a magazine is in the depot or owned by exactly one CPU slot.
 */
final class MagazineDepot {
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Magazine> full = new ArrayDeque<>();
    private final ArrayDeque<Magazine> empty = new ArrayDeque<>();
    private final int capacity;
    private final int maxFull;
    private long created;

    MagazineDepot(int capacity, int maxFull) {
        this.capacity = capacity;
        this.maxFull = maxFull;
    }

    private void enter(AtomicCounter contested) {
        if (!lock.tryLock()) {
            lock.lock();
            contested.increment();
        }
    }

    /** Trades an empty magazine for a full one; null (and {@code mine} kept) when the depot has no full one. */
    Magazine exchangeEmptyForFull(Magazine mine, AtomicCounter contested) {
        enter(contested);
        try {
            Magazine f = full.pollFirst();
            if (f != null) {
                empty.addFirst(mine);
            }
            return f;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Trades a full magazine for an empty one (a new one if the depot has none: Bonwick grows the
     * magazine layer); null (and {@code mine} kept) when the depot already holds {@code maxFull} full ones.
     */
    Magazine exchangeFullForEmpty(Magazine mine, AtomicCounter contested) {
        enter(contested);
        try {
            if (full.size() >= maxFull) {
                return null;
            }
            full.addFirst(mine);
            Magazine e = empty.pollFirst();
            if (e == null) {
                e = new Magazine(capacity);
                created++;
            }
            return e;
        } finally {
            lock.unlock();
        }
    }

    /** Objects cached in full magazines. */
    long cachedObjects() {
        lock.lock();
        try {
            return (long) full.size() * capacity;
        } finally {
            lock.unlock();
        }
    }

    /** Magazines created beyond the per-CPU ones. */
    long magazinesCreated() {
        lock.lock();
        try {
            return created;
        } finally {
            lock.unlock();
        }
    }

    /** Removes every full magazine (for {@link ObjCache#close}). */
    Magazine pollFull() {
        lock.lock();
        try {
            return full.pollFirst();
        } finally {
            lock.unlock();
        }
    }
}
