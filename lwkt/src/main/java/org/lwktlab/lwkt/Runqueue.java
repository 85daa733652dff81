package org.lwktlab.lwkt;

/**
 * A CPU's run queue ({@code gd_tdrunq}): one FIFO per priority 0..31 and a bit mask of the non-empty
 * ones, so picking the highest is one {@code numberOfLeadingZeros}.
 *
 * <p><b>Invariants:</b> owner CPU only; a thread is on at most one queue ({@code onRunq}); a running
 * thread is not on the queue and is re-appended at the tail after its batch if it still has messages,
 * so equal priorities round-robin. A thread whose tokens are held elsewhere is skipped, and the scan
 * goes on down the queue (DragonFly's {@code lwkt_switch}).
 */
final class Runqueue {
    private final LwktThread[] head = new LwktThread[LwktThread.PRI_MAX + 1];
    private final LwktThread[] tail = new LwktThread[LwktThread.PRI_MAX + 1];
    private int mask;

    void enqueue(LwktThread td) {
        int p = td.priority;
        td.rqNext = null;
        if (tail[p] == null) {
            head[p] = td;
        } else {
            tail[p].rqNext = td;
        }
        tail[p] = td;
        td.onRunq = true;
        mask |= 1 << p;
    }

    /** Removes {@code td} if queued. */
    void remove(LwktThread td) {
        if (!td.onRunq) {
            return;
        }
        int p = td.priority;
        LwktThread prev = null;
        for (LwktThread t = head[p]; t != null; prev = t, t = t.rqNext) {
            if (t == td) {
                unlink(p, prev, t);
                return;
            }
        }
    }

    /**
     * Takes the highest-priority thread that can get its tokens (acquiring them), or null if every
     * ready thread is blocked on a token (or none is ready).
     */
    LwktThread pick(Cpu cpu) {
        int m = mask;
        while (m != 0) {
            int p = 31 - Integer.numberOfLeadingZeros(m);
            m &= ~(1 << p);
            LwktThread prev = null;
            for (LwktThread t = head[p]; t != null; prev = t, t = t.rqNext) {
                if (t.tokens.length == 0 || t.acquireTokens(cpu)) {
                    unlink(p, prev, t);
                    return t;
                }
            }
        }
        return null;
    }

    private void unlink(int p, LwktThread prev, LwktThread t) {
        if (prev == null) {
            head[p] = t.rqNext;
        } else {
            prev.rqNext = t.rqNext;
        }
        if (tail[p] == t) {
            tail[p] = prev;
        }
        if (head[p] == null) {
            mask &= ~(1 << p);
        }
        t.rqNext = null;
        t.onRunq = false;
    }

    boolean isEmpty() {
        return mask == 0;
    }
}
