package org.lwktlab.ipi;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MpscArrayQueue;

/**
 * A CPU's bounded multi-producer single-consumer entry point for threads outside the kernel (the
 * "user processes" of a workload). CPUs talk to each other over {@link IpiQueue}s; only external
 * threads come in here.
 *
 * <p><b>Invariants.</b>
 * <ul>
 *   <li>No submission is lost or duplicated: a producer either enqueues (and then wakes the CPU if it
 *       announced idle, by the {@link IpiSignal} protocol) or gets an exception and keeps its work.</li>
 *   <li>When full, {@link FullPolicy#WAIT} backs off (spin, yield, park) while kicking the CPU, and
 *       {@link FullPolicy#FAIL} throws {@link SubmissionQueueFullException}. Nothing is dropped.</li>
 *   <li>After {@link #close}, new submissions throw; the owner drains until {@link #quiescent}, which
 *       also waits for producers that passed the closed check before it was set.</li>
 *   <li>Only the owning CPU calls {@link #drain}; it polls one entry at a time (re-reading the consumer
 *       index), so a nested drain from inside an entry is safe.</li>
 * </ul>
 * Built on JCTools' {@link MpscArrayQueue}.
 */
public final class SubmissionQueue {
    /** What a producer does when the queue is full. */
    public enum FullPolicy {
        /** Back off and retry until there is room (the default). */
        WAIT,
        /** Throw {@link SubmissionQueueFullException} at once. */
        FAIL
    }

    private final int cpu;
    private final int capacity;
    private final MpscArrayQueue<SubmittedIpi> queue;
    private final IpiSignal signal;
    private final FullPolicy policy;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder fullWaits = new LongAdder();
    private volatile boolean closed;
    private volatile SpinAssist assist;

    /**
     * @param capacity a power of two, at least 2
     */
    public SubmissionQueue(int cpu, int capacity, FullPolicy policy, IpiSignal signal) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("submission queue capacity must be a power of two >= 2, got " + capacity);
        }
        this.cpu = cpu;
        this.capacity = capacity;
        this.queue = new MpscArrayQueue<>(capacity);
        this.policy = Objects.requireNonNull(policy, "policy");
        this.signal = Objects.requireNonNull(signal, "signal");
    }

    /**
     * Hands {@code task} to the CPU. Any thread outside the kernel.
     *
     * @throws SubmissionQueueFullException when full under {@link FullPolicy#FAIL}
     * @throws IllegalStateException        after {@link #close}
     */
    public void submit(SubmittedIpi task) {
        Objects.requireNonNull(task, "task");
        inFlight.incrementAndGet();
        try {
            if (closed) {
                throw closedError();
            }
            if (!queue.offer(task)) {
                waitForRoom(task);
            }
        } finally {
            inFlight.decrementAndGet();
        }
        signal.fenceAndWake();
    }

    /**
     * Like {@link #submit}, but also after {@link #close}: for completions (replies, abort requests,
     * the kernel's own shutdown steps), which must reach the CPU while it drains.
     */
    public void submitAlways(SubmittedIpi task) {
        Objects.requireNonNull(task, "task");
        inFlight.incrementAndGet();
        try {
            if (!queue.offer(task)) {
                long park = 1_000;
                for (int i = 0; !queue.offer(task); i++) {
                    signal.fenceAndWake();
                    SpinAssist a = assist;
                    if (a != null) {
                        a.assist(SpinAssist.EXTERNAL);
                    } else if (i < 64) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.parkNanos(park);
                        park = Math.min(park << 1, 1_000_000);
                    }
                }
            }
        } finally {
            inFlight.decrementAndGet();
        }
        signal.fenceAndWake();
    }

    private void waitForRoom(SubmittedIpi task) {
        if (policy == FullPolicy.FAIL) {
            throw new SubmissionQueueFullException(cpu, capacity);
        }
        fullWaits.increment();
        long park = 1_000;
        for (int i = 0; !queue.offer(task); i++) {
            if (closed) {
                throw closedError();
            }
            signal.fenceAndWake();
            SpinAssist a = assist;
            if (a != null) {
                a.assist(SpinAssist.EXTERNAL);
            } else if (i < 64) {
                Thread.onSpinWait();
            } else if (i < 128) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(park);
                park = Math.min(park << 1, 1_000_000);
            }
        }
    }

    private IllegalStateException closedError() {
        return new IllegalStateException("cpu " + cpu + " no longer accepts submissions: the kernel is shutting down");
    }

    /** Runs up to {@code limit} queued tasks. Owner CPU only; re-entrant. */
    public int drain(int ownerCpu, int limit, IpiErrorHandler onError) {
        int n = 0;
        while (n < limit) {
            SubmittedIpi t = queue.relaxedPoll();
            if (t == null) {
                break;
            }
            n++;
            try {
                t.ipi(ownerCpu);
            } catch (Throwable e) {
                onError.ipiFailed(ownerCpu, t, null, e);
            }
        }
        return n;
    }

    /** What a producer waiting for room calls instead of backing off (see {@link SpinAssist}); null for none. */
    public void spinAssist(SpinAssist a) {
        this.assist = a;
    }

    /** True if something is (or is about to be) queued. Any thread. */
    public boolean hasPending() {
        return !queue.isEmpty();
    }

    /** Stops intake; later {@link #submit} calls throw. */
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }

    /** True once closed, with no producer mid-submit and nothing queued. */
    public boolean quiescent() {
        return closed && inFlight.get() == 0 && queue.isEmpty();
    }

    public int capacity() {
        return capacity;
    }

    /** Submissions accepted so far. */
    public long enqueued() {
        return queue.currentProducerIndex();
    }

    /** Submissions taken by the CPU so far. */
    public long dequeued() {
        return queue.currentConsumerIndex();
    }

    /** Current depth (a snapshot). */
    public int size() {
        return queue.size();
    }

    /** Times a producer found the queue full and waited. */
    public long fullWaits() {
        return fullWaits.sum();
    }
}
