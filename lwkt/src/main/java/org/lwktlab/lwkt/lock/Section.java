package org.lwktlab.lwkt.lock;

/**
 * A critical section: code run while holding a {@link ProbedLock}. Written as a stateless singleton
 * (per-call data in {@code state} and {@code arg}), so running it allocates nothing — the same
 * discipline as an IPI function, which lets a lock, a {@code synchronized} block and flat combining
 * all run the same section.
 */
@FunctionalInterface
public interface Section {
    /** Runs under the lock; returns a result for the caller. */
    long run(Object state, long arg);
}
