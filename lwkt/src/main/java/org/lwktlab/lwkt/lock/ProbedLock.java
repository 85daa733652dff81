package org.lwktlab.lwkt.lock;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.status.AtomicCounter;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * A lock from the portfolio ({@link LockKind}), instrumented: every acquisition, every contended
 * acquisition and the time spent waiting are counted, so a mutex design shows <em>why</em> it wins or
 * loses as plainly as a message design does.
 *
 * <p><b>Use.</b> Each thread takes its own {@link Handle} once ({@link #handle()}) and runs critical
 * sections through it: {@code handle.locked(SECTION, state, arg)}. The handle holds that thread's
 * single-writer counters (labels {@code lock}, {@code kind}, {@code thread}), so instrumentation adds
 * no shared atomic; the uncontended path adds no clock read either — waiting is timed only when the
 * first attempt failed.
 *
 * <p><b>Invariants:</b> sections run one at a time per lock (mutual exclusion), and everything a section
 * wrote is visible to the next one; a handle is used by one thread at a time.
 */
public abstract class ProbedLock {
    private final String name;
    private final LockKind kind;
    private final ProbeRegistry probes;
    private final Labels labels;
    private final AtomicInteger handles = new AtomicInteger();

    ProbedLock(String name, LockKind kind, ProbeRegistry probes, Labels labels) {
        this.name = name;
        this.kind = kind;
        this.probes = probes;
        this.labels = labels;
    }

    /**
     * A lock of {@code kind} registering its probes in {@code probes}.
     *
     * @param name   the lock's name (label {@code lock}), e.g. {@code pcbinfo}
     * @param labels extra labels (e.g. {@code subsystem})
     */
    public static ProbedLock create(LockKind kind, String name, ProbeRegistry probes, Labels labels) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(probes, "probes");
        Objects.requireNonNull(labels, "labels");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a lock needs a name");
        }
        return switch (kind) {
            case SYNCHRONIZED -> new MonitorLock(name, probes, labels);
            case REENTRANT -> new JucLock(name, kind, probes, labels, false);
            case REENTRANT_FAIR -> new JucLock(name, kind, probes, labels, true);
            case STAMPED -> new StampedWriteLock(name, probes, labels);
            case TTAS -> new TtasLock(name, probes, labels);
            case MCS -> new McsLock(name, probes, labels);
            case CLH -> new ClhLock(name, probes, labels);
            case FLAT_COMBINING -> new FlatCombiningLock(name, probes, labels);
        };
    }

    public final String name() {
        return name;
    }

    public final LockKind kind() {
        return kind;
    }

    /** A new handle for the calling thread. Any thread; registers that thread's counters. */
    public final Handle handle() {
        int i = handles.getAndIncrement();
        Labels l = labels.and("lock", name, "kind", kind.id(), "thread", Integer.toString(i));
        Handle h = newHandle(
                probes.counter("lwkt_lock_acquisitions_total", "Times a thread ran a critical section under this lock", l),
                probes.counter("lwkt_lock_contended_total", "Acquisitions that found the lock held and had to wait", l),
                probes.counter("lwkt_lock_wait_seconds_total",
                        "Time spent waiting for this lock (counter holds nanoseconds; exporters scale to seconds)", l));
        return h;
    }

    abstract Handle newHandle(AtomicCounter acquisitions, AtomicCounter contended, AtomicCounter waitNanos);

    /**
     * One thread's access to the lock. Not shared between threads.
     */
    public abstract static class Handle {
        final AtomicCounter acquisitions;
        final AtomicCounter contended;
        final AtomicCounter waitNanos;

        Handle(AtomicCounter acquisitions, AtomicCounter contended, AtomicCounter waitNanos) {
            this.acquisitions = acquisitions;
            this.contended = contended;
            this.waitNanos = waitNanos;
        }

        /** Runs {@code section} holding the lock and returns its result. */
        public abstract long locked(Section section, Object state, long arg);

        final void countUncontended() {
            acquisitions.incrementRelease();
        }

        final void countContended(long startNanos) {
            acquisitions.incrementRelease();
            contended.incrementRelease();
            waitNanos.getAndAddRelease(System.nanoTime() - startNanos);
        }

        /** This thread's acquisitions so far. */
        public final long acquisitions() {
            return acquisitions.getAcquire();
        }

        /** This thread's contended acquisitions so far. */
        public final long contended() {
            return contended.getAcquire();
        }
    }

    /** Spins politely: busy for a while, then yields (essential when threads outnumber cores). */
    static void backoff(int spins) {
        if (spins < 64) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }
}
