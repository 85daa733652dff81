package org.lwktlab.vfs;

import java.util.concurrent.locks.StampedLock;
import org.agrona.concurrent.status.AtomicCounter;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * A vnode's read/write lock in the mutex design ({@code vn_lock} shared or exclusive), over a
 * {@link StampedLock}. It is probed the way {@code ProbedLock} is, without per-vnode counters (there are
 * millions of vnodes, and a per-vnode counter would itself be shared): the acquiring thread first tries
 * without waiting; only if that fails does it read the clock, wait, and count a contended acquisition
 * and the time waited — in its own {@link Probe}, one per thread (session), labelled {@code lock=vnode}
 * with {@code mode=shared|exclusive}. The uncontended path costs one CAS and no clock read.
 *
 * <p>Not reentrant: the mutex design never takes a vnode lock it holds (renames and removals dedupe the
 * vnodes they lock).
 */
final class VnodeLock {
    private final StampedLock lock = new StampedLock();

    /** Shared: returns the stamp for {@link #unlockShared}. */
    long shared(Probe p) {
        long s = lock.tryReadLock();
        if (s != 0) {
            p.sharedAcq.incrementRelease();
            return s;
        }
        long t0 = System.nanoTime();
        s = lock.readLock();
        p.sharedAcq.incrementRelease();
        p.sharedContended.incrementRelease();
        p.waitNanos.getAndAddRelease(System.nanoTime() - t0);
        return s;
    }

    void unlockShared(long stamp) {
        lock.unlockRead(stamp);
    }

    /** Exclusive: returns the stamp for {@link #unlockExclusive}. */
    long exclusive(Probe p) {
        long s = lock.tryWriteLock();
        if (s != 0) {
            p.exclAcq.incrementRelease();
            return s;
        }
        long t0 = System.nanoTime();
        s = lock.writeLock();
        p.exclAcq.incrementRelease();
        p.exclContended.incrementRelease();
        p.waitNanos.getAndAddRelease(System.nanoTime() - t0);
        return s;
    }

    void unlockExclusive(long stamp) {
        lock.unlockWrite(stamp);
    }

    /** One thread's vnode-lock counters. */
    static final class Probe {
        final AtomicCounter sharedAcq;
        final AtomicCounter sharedContended;
        final AtomicCounter exclAcq;
        final AtomicCounter exclContended;
        final AtomicCounter waitNanos;

        Probe(ProbeRegistry p, Labels l) {
            Labels base = l.and("lock", "vnode", "kind", "stamped-rw");
            Labels sh = base.and("mode", "shared");
            Labels ex = base.and("mode", "exclusive");
            String acq = "Times a thread ran a critical section under this lock";
            String con = "Acquisitions that found the lock held and had to wait";
            sharedAcq = p.counter("lwkt_lock_acquisitions_total", acq, sh);
            sharedContended = p.counter("lwkt_lock_contended_total", con, sh);
            exclAcq = p.counter("lwkt_lock_acquisitions_total", acq, ex);
            exclContended = p.counter("lwkt_lock_contended_total", con, ex);
            waitNanos = p.counter("lwkt_lock_wait_seconds_total",
                    "Time spent waiting for this lock (counter holds nanoseconds; exporters scale to seconds)", base);
        }
    }
}
