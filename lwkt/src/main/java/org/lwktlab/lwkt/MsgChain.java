package org.lwktlab.lwkt;

import java.util.Objects;

/**
 * A syslet-style chain: a linear list of up to {@link #capacity()} messages, each with its target port,
 * submitted in one call ({@link Lwkt#sendchain}, {@link Lwkt#dochain}). Step {@code i+1} is sent the
 * moment step {@code i} is replied — from the CPU that replied it, without a trip back to the
 * submitter — and the chain stops at the first step replied with an error. The chain itself is a
 * message: it is replied exactly once, when the last step succeeded or a step failed, to its own reply
 * port (a thread port, a {@link CallbackPort}, the {@link WaitPort}, a {@link CompletionRing}). Its
 * {@link #error()} is the failing step's, {@link #failedStep()} says which, and {@link #completedSteps()}
 * how many succeeded.
 *
 * <p>So a client that would pay one round trip — a submission, a wake-up of the target, a reply, a
 * wake-up of itself — per step pays one submission and one wake-up for the whole chain; the steps still
 * cost one hand-off each, CPU to CPU.
 *
 * <p><b>Ownership.</b> Like any message, the chain and its steps belong to the submitter until the chain
 * is done: {@link #add} and {@link #clear} only then. While it runs, the chain's bookkeeping is written
 * by whichever thread replies the current step; each step is sent only after the previous one was
 * replied, so the hand-off (an IPI ring or a submission queue) orders those writes. Chains are reusable
 * and sending one allocates nothing: keep a chain per client and re-send it.
 *
 * <p><b>Abort.</b> {@code abortmsg} on an abortable chain stops it: no further step is sent, and the step
 * in flight is aborted too (if it was itself initialised abortable). The chain is then replied
 * {@link Message#ABORTED} with {@link Errno#EINTR} — unless its last step had already succeeded, in which
 * case it completes normally. Either way exactly one outcome is posted.
 */
public class MsgChain extends Message {
    /** The most steps one chain may hold. */
    public static final int MAX_CAPACITY = 1024;

    private final Port[] ports;
    private final Message[] steps;
    private final Link link = new Link(this);
    private int length;
    /** The step in flight; read by an aborting thread, hence volatile. */
    private volatile int current;
    private int completed;
    private int failed = -1;

    /** An empty chain of up to {@code capacity} steps, replied to {@code replyPort}. */
    public MsgChain(int capacity, Port replyPort) {
        this(capacity);
        init(replyPort);
    }

    /** An empty chain of up to {@code capacity} steps; {@link #init} sets where it is replied. */
    public MsgChain(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("a chain holds 1.." + MAX_CAPACITY + " steps, not " + capacity);
        }
        this.ports = new Port[capacity];
        this.steps = new Message[capacity];
    }

    /**
     * Appends step {@code msg}, to be sent to {@code port}. The step is re-initialised with the chain as
     * its reply port, keeping its {@code ABORTABLE}, {@code PRIORITY}, {@code DROPABLE} and user flags.
     *
     * @throws IllegalStateException    while the chain or the step is in flight, or the chain is full
     * @throws IllegalArgumentException for a step already in the chain, or the chain itself
     */
    public final MsgChain add(Port port, Message msg) {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(msg, "step");
        requireDone("add a step to");
        if (length == steps.length) {
            throw new IllegalStateException("chain " + this + " is full: it holds " + steps.length + " steps");
        }
        if (msg == this || msg instanceof MsgChain) {
            throw new IllegalArgumentException("a chain's steps are plain messages; chains do not nest");
        }
        for (int i = 0; i < length; i++) {
            if (steps[i] == msg) {
                throw new IllegalArgumentException("step " + msg + " is already step " + i + " of this chain; a message"
                        + " is in flight once at a time, so each step needs its own");
            }
        }
        msg.init(link, msg.flags() & (ABORTABLE | PRIORITY | DROPABLE | USER0 | USER1 | USER2 | USER3));
        ports[length] = port;
        steps[length] = msg;
        length++;
        return this;
    }

    /** Removes every step (the chain must be done). */
    public final MsgChain clear() {
        requireDone("clear");
        for (int i = 0; i < length; i++) {
            ports[i] = null;
            steps[i] = null;
        }
        length = 0;
        return this;
    }

    /** The most steps this chain holds. */
    public final int capacity() {
        return steps.length;
    }

    /** Steps in the chain. */
    public final int length() {
        return length;
    }

    /** Step {@code i}. */
    public final Message step(int i) {
        Objects.checkIndex(i, length);
        return steps[i];
    }

    /** Where step {@code i} is sent. */
    public final Port port(int i) {
        Objects.checkIndex(i, length);
        return ports[i];
    }

    /** Steps replied without error in the latest run (all of them when it succeeded). Once done. */
    public final int completedSteps() {
        return completed;
    }

    /** The step whose error stopped the latest run, or -1 when none did. Once done. */
    public final int failedStep() {
        return failed;
    }

    private void requireDone(String what) {
        if ((flags() & DONE) == 0) {
            throw new IllegalStateException("cannot " + what + " chain " + this + " while it is in flight");
        }
    }

    // ------------------------------------------------------------------ running

    /** {@code sendchain}/{@code dochain}: the chain is marked in flight and counted; sends step 0. */
    final void submit(String verb, boolean sync) {
        final int f = Lwkt.checkSendable(verb, this);
        if (length == 0) {
            throw new IllegalArgumentException(verb + ": chain " + this + " has no steps");
        }
        for (int i = 0; i < length; i++) {
            if ((steps[i].flags() & DONE) == 0) {
                throw new IllegalStateException(verb + ": step " + i + " (" + steps[i] + ") is still in flight");
            }
        }
        replaceFlags((f & ~(REPLY | SYNC | DONE | ABORTED | INTRANSIT)) | (sync ? SYNC : 0));
        Lwkt.prepare(ports[0], this, sync ? Origin.Kind.DOMSG : Origin.Kind.SENT);
        waiter = sync ? Thread.currentThread() : null;
        completed = 0;
        failed = -1;
        current = 0;
        try {
            Lwkt.sendmsg(ports[0], steps[0]);
        } catch (RuntimeException e) {
            Lwkt.unprepare(this);
            waiter = null;
            replaceFlags(f);
            throw e;
        }
    }

    /** A step was replied (on the thread that replied it): send the next one, or complete the chain. */
    final void stepReplied(Message step) {
        final int i = current;
        if (step.error != Errno.OK) {
            finish(step.error, i, step.isAborted());
            return;
        }
        completed = i + 1;
        if (i + 1 == length) {
            finish(Errno.OK, -1, false);
            return;
        }
        current = i + 1;
        if (abortRequested()) { // the abort arrived between steps: the next one never starts
            finish(Errno.EINTR, -1, true);
            return;
        }
        final Message next = steps[i + 1];
        target = ports[i + 1];
        Lwkt.sendmsg(ports[i + 1], next);
        if (abortRequested()) { // it may have read `current` before we moved it: abort the new step ourselves
            Lwkt.abortmsg(next);
        }
    }

    private void finish(int error, int failedAt, boolean aborted) {
        failed = failedAt;
        if (aborted) {
            Lwkt.replyAborted(this);
        } else {
            Lwkt.replymsg(this, error);
        }
    }

    /** An abort aims at the step in flight; the chain itself stops at the next step boundary. */
    @Override
    final void routeAbort() {
        final int i = current;
        if (i < length) {
            Lwkt.abortmsg(steps[i]);
        }
    }

    /**
     * Every step's reply port: completes the step where it was replied and moves the chain on. Not
     * owned by a CPU — it runs on whichever thread replies.
     */
    static final class Link extends Port {
        private final MsgChain chain;

        Link(MsgChain chain) {
            super("chain");
            this.chain = chain;
        }

        @Override
        public Cpu owner() {
            return null;
        }

        @Override
        void put(Message msg) {
            throw new IllegalArgumentException("a chain's link only takes its steps' replies");
        }

        @Override
        void reply(Message msg) {
            msg.setFlags(DONE);
            chain.stepReplied(msg);
        }
    }
}
