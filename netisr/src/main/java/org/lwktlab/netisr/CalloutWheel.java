package org.lwktlab.netisr;

import java.util.Arrays;

/**
 * A hashed timing wheel of {@link Callout}s (Varghese and Lauck; DragonFly's per-CPU callout wheel):
 * callout with deadline {@code d} (in ticks) sits in slot {@code d & (SLOTS-1)}; each tick visits one
 * slot and collects what is due, leaving later rounds in place. Arm, re-arm and cancel are O(1)
 * unlink/link on intrusive lists.
 *
 * <p><b>Ownership.</b> One wheel per CPU. In the message design only that CPU's netisr touches it. In
 * the mutex design a connection's timers live on the wheel of its RSS CPU and may be armed from any
 * CPU, so every call is made holding that wheel's lock (FreeBSD's per-CPU {@code cc_lock}); the
 * class itself is single-threaded.
 *
 * <p>{@link #collect} unlinks the due callouts into a buffer rather than running them, so the caller
 * can drop the wheel lock before taking each connection's lock (lock order: PCB, then wheel).
 */
final class CalloutWheel {
    static final int SLOTS = 512;
    private final Callout[] heads = new Callout[SLOTS];
    private long lastTick;
    private int armed;
    /** Collected by the last {@link #collect}: the callouts and the deadlines they were collected at. */
    Callout[] due = new Callout[64];
    long[] dueAt = new long[64];

    CalloutWheel(long now) {
        this.lastTick = now;
    }

    /** Arms (or re-arms) {@code c} for tick {@code deadline} (>= 1). */
    void arm(Callout c, long deadline) {
        if (c.linked) {
            unlink(c);
        }
        c.deadline = deadline;
        int s = (int) (deadline & (SLOTS - 1));
        Callout h = heads[s];
        c.prev = null;
        c.next = h;
        if (h != null) {
            h.prev = c;
        }
        heads[s] = c;
        c.linked = true;
        armed++;
    }

    /** Disarms {@code c}; harmless if it is not armed. */
    void cancel(Callout c) {
        if (c.linked) {
            unlink(c);
        }
        c.deadline = 0;
    }

    private void unlink(Callout c) {
        int s = (int) (c.deadline & (SLOTS - 1));
        if (c.prev != null) {
            c.prev.next = c.next;
        } else {
            heads[s] = c.next;
        }
        if (c.next != null) {
            c.next.prev = c.prev;
        }
        c.prev = null;
        c.next = null;
        c.linked = false;
        armed--;
    }

    /**
     * Unlinks every callout due by tick {@code now} into {@link #due}/{@link #dueAt} (their deadlines
     * are left set) and returns how many. Visits each slot at most once however long the CPU slept.
     */
    int collect(long now) {
        if (now <= lastTick) {
            return 0;
        }
        long span = Math.min(now - lastTick, SLOTS);
        int n = 0;
        for (long t = now - span + 1; t <= now; t++) {
            int s = (int) (t & (SLOTS - 1));
            for (Callout c = heads[s]; c != null; ) {
                Callout next = c.next;
                if (c.deadline <= now) {
                    if (n == due.length) {
                        due = Arrays.copyOf(due, n * 2);
                        dueAt = Arrays.copyOf(dueAt, n * 2);
                    }
                    due[n] = c;
                    dueAt[n] = c.deadline;
                    n++;
                    unlink(c);
                }
                c = next;
            }
        }
        lastTick = now;
        return n;
    }

    /** Callouts armed now. */
    int armed() {
        return armed;
    }
}
