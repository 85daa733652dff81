package org.lwktlab.lwkt.lock;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The lock portfolio a mutex design can run under (DESIGN §3): no single lock is best everywhere
 * (LiTL, ATC'16), so a message design has only won if it beats the best of these.
 */
public enum LockKind {
    /** A Java monitor ({@code synchronized}). */
    SYNCHRONIZED("synchronized"),
    /** {@code ReentrantLock}, unfair (barging). */
    REENTRANT("reentrant"),
    /** {@code ReentrantLock}, fair (FIFO hand-off). */
    REENTRANT_FAIR("reentrant-fair"),
    /** {@code StampedLock}'s write lock. */
    STAMPED("stamped"),
    /** Test-and-test-and-set spin lock with back-off. */
    TTAS("ttas"),
    /** MCS queue lock: each waiter spins on its own node. */
    MCS("mcs"),
    /** CLH queue lock: each waiter spins on its predecessor's node. */
    CLH("clh"),
    /** Flat combining: one thread holding the lock runs every waiting thread's section. */
    FLAT_COMBINING("flat-combining");

    private final String id;

    LockKind(String id) {
        this.id = id;
    }

    /** The name used on the command line ({@code --set lock=mcs}). */
    public String id() {
        return id;
    }

    /** Every kind's name. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(LockKind::id).toList();
    }

    /**
     * @throws IllegalArgumentException naming the valid kinds
     */
    public static LockKind parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        for (LockKind k : values()) {
            if (k.id.equals(t)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown lock '" + s + "'; valid locks: " + String.join(", ", ids()));
    }
}
