package org.lwktlab.lwkt;

import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;

/**
 * A completion ring: a reply port that queues completed messages for one consumer — a thread outside
 * the kernel — to collect, as io_uring's completion queue does for a syslet-style {@link MsgChain}. The
 * consumer keeps many requests or chains in flight and collects whichever completes first, paying one
 * wake-up per {@link #take()} that finds the ring empty, however many completions it then drains with
 * {@link #poll()}.
 *
 * <p><b>Threads.</b> Any number of repliers (every CPU, outside threads), one consumer. A reply marks the
 * message done, queues it, and unparks the consumer if it waits: replier and consumer each write
 * (the queue, the waiter field), fence, then read what the other wrote, so no completion is missed.
 * Nothing is dropped: the queue is unbounded (JCTools' {@link MpscUnboundedXaddArrayQueue}, whose
 * chunks are pooled, so a steady state allocates nothing) — the number of completions waiting is
 * bounded by what the consumer put in flight.
 */
public final class CompletionRing extends Port {
    private static final int CHUNK = 256;

    private final MpscUnboundedXaddArrayQueue<Message> completed = new MpscUnboundedXaddArrayQueue<>(CHUNK, 4);
    private volatile Thread waiter;

    public CompletionRing(String name) {
        super(name);
    }

    @Override
    public Cpu owner() {
        return null;
    }

    @Override
    void put(Message msg) {
        throw new IllegalArgumentException("completion ring '" + name() + "' only takes replies; send requests to a"
                + " ThreadPort");
    }

    @Override
    void reply(Message msg) {
        msg.setFlags(Message.DONE);
        completed.offer(msg);
        VarHandle.fullFence();
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /** The next completed message, or null if none is waiting. Consumer only. */
    public Message poll() {
        return completed.poll();
    }

    /**
     * The next completed message, waiting for one if none is there. Consumer only. On the thread that
     * controls a deterministic {@link Simulation}, waiting runs the simulation instead of parking.
     *
     * @throws IllegalStateException on a CPU (a CPU never blocks), or if a simulation goes quiet first
     * @throws InterruptedException  if the thread is interrupted while it waits (nothing is lost: the
     *                               completion stays queued for the next call)
     */
    public Message take() throws InterruptedException {
        Message m = completed.poll();
        if (m != null) {
            return m;
        }
        Cpu cur = Lwkt.currentCpu();
        if (cur != null) {
            throw new IllegalStateException("take() on cpu " + cur.id() + ": a CPU never blocks; poll() the ring instead");
        }
        Simulation sim = Simulation.current();
        if (sim != null) {
            sim.await("a completion on ring '" + name() + "'", () -> !completed.isEmpty());
            return completed.poll();
        }
        waiter = Thread.currentThread();
        VarHandle.fullFence();
        try {
            while ((m = completed.poll()) == null) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted waiting on completion ring '" + name() + "'");
                }
            }
        } finally {
            waiter = null;
        }
        return m;
    }

    /** Completions waiting now (a snapshot). */
    public int size() {
        return completed.size();
    }
}
