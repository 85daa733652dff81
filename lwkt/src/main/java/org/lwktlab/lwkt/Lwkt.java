package org.lwktlab.lwkt;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * The message verbs of {@code lwkt_msgport.c}: {@link #sendmsg}, {@link #domsg}, {@link #forwardmsg},
 * {@link #replymsg}, {@link #waitmsg}, {@link #abortmsg}, {@link #dropmsg}, and the context queries
 * {@link #currentCpu()} / {@link #curthread()}.
 *
 * <p><b>Who may call.</b> Code on a CPU (handlers, rollups, IPI-free contexts) and threads outside the
 * kernel alike; each verb routes by where it is called from. A CPU never blocks: {@code domsg} on a CPU
 * is legal only to a port on the same CPU (the synchronous fast path), and {@code waitmsg} on a CPU only
 * for a message already done.
 *
 * <p><b>Exactly once</b> (§9.10): {@code sendmsg}/{@code domsg} require {@code DONE} and not
 * {@code QUEUED}; {@code replymsg} throws on a second reply; {@code DONE} is set once per send, on the
 * originator's side.
 */
public final class Lwkt {
    private Lwkt() {}

    /** The CPU the calling thread is, or null outside the kernel. */
    public static Cpu currentCpu() {
        return Thread.currentThread() instanceof CpuThread t ? t.cpu : null;
    }

    /**
     * The time, from the clock of the kernel the caller runs on: {@code System.nanoTime()} normally, the
     * simulated clock on a CPU of a deterministic {@link Simulation} or on the thread controlling one.
     * Use it (not {@code System.nanoTime()}) wherever time can change what code does, so replays hold.
     */
    public static long nanoTime() {
        final Cpu c = currentCpu();
        if (c != null) {
            return c.nanoTime();
        }
        final Simulation s = Simulation.current();
        return s != null ? s.nanoTime() : System.nanoTime();
    }

    /** The LWKT thread running now, or null (outside the kernel, or in IPI context). */
    public static LwktThread curthread() {
        Cpu c = currentCpu();
        return c == null ? null : c.current;
    }

    /**
     * {@code lwkt_sendmsg}: sends {@code msg} to {@code port} asynchronously; the reply arrives at the
     * message's reply port. Do not touch the message until it is replied.
     */
    public static void sendmsg(Port port, Message msg) {
        Objects.requireNonNull(port, "port");
        final int f = checkSendable("sendmsg", msg);
        msg.replaceFlags(f & ~(Message.REPLY | Message.SYNC | Message.DONE | Message.ABORTED | Message.INTRANSIT));
        prepare(port, msg, Origin.Kind.SENT);
        try {
            port.put(msg);
        } catch (RuntimeException e) {
            unprepare(msg);
            msg.replaceFlags(f);
            throw e;
        }
    }

    /**
     * {@code lwkt_domsg}: sends {@code msg} and waits for its reply, returning its error.
     * <ul>
     *   <li>Outside the kernel: parks until the reply (interrupting the thread aborts an abortable
     *       message, then keeps waiting for the one outcome).</li>
     *   <li>On a CPU, to a port of the same CPU: runs the handler right now (the synchronous fast path);
     *       the handler must reply before it returns.</li>
     *   <li>On a CPU, to a port elsewhere: an error — a CPU never blocks.</li>
     * </ul>
     */
    public static int domsg(Port port, Message msg) {
        Objects.requireNonNull(port, "port");
        final Cpu cur = currentCpu();
        final Cpu own = port.owner();
        if (cur != null) {
            if (own != cur) {
                throw new IllegalStateException("domsg from cpu " + cur.id + " to port '" + port.name() + "' "
                        + (own == null ? "(not owned by a CPU)" : "owned by cpu " + own.id)
                        + ": a CPU never blocks; use sendmsg with a reply port (a ThreadPort or CallbackPort)"
                        + " and continue in the reply");
            }
            if (!(port instanceof ThreadPort tp)) {
                throw new IllegalArgumentException("domsg to port '" + port.name() + "': only thread ports take requests");
            }
            final int f = checkSendable("domsg", msg);
            msg.replaceFlags((f & ~(Message.REPLY | Message.DONE | Message.ABORTED | Message.INTRANSIT)) | Message.SYNC);
            prepare(port, msg, Origin.Kind.DOMSG);
            msg.waiter = null;
            cur.dispatchInline(tp, msg);
            if ((msg.flags() & Message.REPLY) == 0) {
                throw new IllegalStateException("domsg to port '" + port.name() + "' on cpu " + cur.id
                        + ": the handler returned without replying (it forwarded or kept the message); on a CPU,"
                        + " domsg needs a synchronous reply — use sendmsg with a reply port instead");
            }
            return msg.error;
        }
        putSync(port, msg);
        return waitmsg(msg);
    }

    /**
     * An outside thread's synchronous put: marks {@code msg} SYNC with this thread as its waiter and
     * queues it; a put that fails (a closed kernel) leaves the message as it was, so it can be sent again.
     */
    private static void putSync(Port port, Message msg) {
        final int f = checkSendable("domsg", msg);
        msg.replaceFlags((f & ~(Message.REPLY | Message.DONE | Message.ABORTED | Message.INTRANSIT)) | Message.SYNC);
        prepare(port, msg, Origin.Kind.DOMSG);
        msg.waiter = Thread.currentThread();
        try {
            port.put(msg);
        } catch (RuntimeException e) {
            unprepare(msg);
            msg.waiter = null;
            msg.replaceFlags(f);
            throw e;
        }
    }

    /**
     * Submits a {@link MsgChain}: its steps run in order, each sent when the previous one is replied, and
     * the chain is replied once — to its reply port — when the last step succeeded or a step failed. One
     * call, one completion, instead of a round trip per step. Any thread; the chain and its steps must be
     * done.
     */
    public static void sendchain(MsgChain chain) {
        Objects.requireNonNull(chain, "chain").submit("sendchain", false);
    }

    /**
     * Submits a {@link MsgChain} and waits for its one completion, returning its error (that of the
     * failing step, or 0). Outside the kernel only — a CPU never blocks; use {@link #sendchain} with a
     * reply port there.
     */
    public static int dochain(MsgChain chain) {
        Objects.requireNonNull(chain, "chain");
        final Cpu cur = currentCpu();
        if (cur != null) {
            throw new IllegalStateException("dochain on cpu " + cur.id + ": a CPU never blocks; use sendchain with a"
                    + " reply port (a ThreadPort or CallbackPort) and continue in the reply");
        }
        chain.submit("dochain", true);
        return waitmsg(chain);
    }

    /**
     * {@code lwkt_forwardmsg}: passes a message being handled on to another port, keeping its reply
     * port and {@code SYNC} state. The message must be in flight: not {@code QUEUED}, {@code DONE} or
     * {@code REPLY}.
     */
    public static void forwardmsg(Port port, Message msg) {
        Objects.requireNonNull(port, "port");
        int f = msg.flags();
        if ((f & (Message.QUEUED | Message.DONE | Message.REPLY)) != 0) {
            throw new IllegalStateException("forwardmsg: " + msg + " must be in flight and unreplied to be forwarded");
        }
        msg.target = port;
        msg.handoffs++;
        final Cpu cur = currentCpu();
        final Provenance p = !Provenance.AVAILABLE ? null : cur != null ? cur.provenance : provenanceOf(msg);
        if (p != null) {
            p.forwarded(msg, port, cur);
        }
        port.put(msg);
    }

    /**
     * {@code lwkt_replymsg}: replies {@code msg} with {@code error} ({@link Errno}; 0 = success). A message
     * is replied exactly once.
     *
     * @throws IllegalStateException on a second reply, or if the message is still queued
     */
    public static void replymsg(Message msg, int error) {
        final int f = msg.flags();
        if ((f & Message.REPLY) != 0) {
            throw new IllegalStateException("replymsg: " + msg + " was already replied (error "
                    + Errno.name(msg.error) + "); a message is replied exactly once");
        }
        if ((f & (Message.QUEUED | Message.DONE)) != 0) {
            throw new IllegalStateException("replymsg: " + msg + " is not being handled (flags "
                    + Message.flagNames(f) + ")");
        }
        msg.error = error;
        msg.abortHandler = null;
        msg.handoffs++;
        countReply(msg);
        if ((f & Message.SYNC) != 0) {
            msg.setFlagsVolatile(Message.REPLY | Message.DONE);
            Thread w = msg.waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
            return;
        }
        msg.setFlags(Message.REPLY);
        msg.replyPort.reply(msg);
    }

    /** Replies {@code msg} as aborted: {@link Message#ABORTED} with {@link Errno#EINTR}. For abort handlers and safe points. */
    public static void replyAborted(Message msg) {
        msg.setFlags(Message.ABORTED);
        try {
            replymsg(msg, Errno.EINTR);
        } catch (RuntimeException e) {
            msg.clearFlags(Message.ABORTED);
            throw e;
        }
    }

    /**
     * {@code lwkt_waitmsg}: outside the kernel, parks until {@code msg} is done and returns its error. If
     * the thread is interrupted, an abortable message is aborted once and the wait goes on for the single
     * outcome; the interrupt status is restored on return.
     *
     * @throws IllegalStateException on a CPU (unless already done), or if the reply would not wake us
     */
    public static int waitmsg(Message msg) {
        return await("waitmsg", msg, Long.MAX_VALUE);
    }

    /**
     * {@code waitmsg} with a deadline: waits up to {@code timeout} for {@code msg}; if it is not done by
     * then, aborts it ({@code abortmsg}) and waits on for its one outcome — the normal reply if that won
     * the race, else the {@link Message#ABORTED} one ({@link Message#isAborted()} tells a timeout). A
     * message that is not {@link Message#ABORTABLE} cannot be cut short: the wait then goes on until it is
     * replied. On a simulation's controller the timeout is simulated time. Outside the kernel only.
     *
     * @return the error the message was replied with ({@link Errno#EINTR} when the timeout aborted it)
     */
    public static int waitmsg(Message msg, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("waitmsg: the timeout must not be negative, got " + timeout);
        }
        return await("waitmsg", msg, timeout.toNanos());
    }

    /**
     * {@code domsg} with a deadline ({@link #waitmsg(Message, Duration)}): sends {@code msg} and waits
     * up to {@code timeout} for the reply, aborting it after that and returning its one outcome. Outside
     * the kernel only — a CPU never waits.
     */
    public static int domsg(Port port, Message msg, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("domsg: the timeout must not be negative, got " + timeout);
        }
        final Cpu cur = currentCpu();
        if (cur != null) {
            throw new IllegalStateException("domsg with a timeout on cpu " + cur.id + ": a CPU never waits; send the"
                    + " message and abort it from a later step instead");
        }
        putSync(port, msg);
        return await("domsg", msg, timeout.toNanos());
    }

    /**
     * A safe point for a handler doing long work on {@code msg} (in chunks, re-queuing itself between
     * them): if an abort was requested, replies it {@link Message#ABORTED} and returns true — the handler
     * then stops and forgets the message. Otherwise returns false and the work goes on.
     */
    public static boolean abortIfRequested(Message msg) {
        if (msg.abortRequested() && (msg.flags() & (Message.ABORTABLE | Message.REPLY)) == Message.ABORTABLE) {
            replyAborted(msg);
            return true;
        }
        return false;
    }

    /** Parks the calling outside thread until {@code msg} is done, aborting it once after {@code timeoutNanos}. */
    private static int await(String verb, Message msg, long timeoutNanos) {
        if ((msg.flagsVolatile() & Message.DONE) != 0) {
            return msg.error;
        }
        final Cpu cur = currentCpu();
        if (cur != null) {
            throw new IllegalStateException(verb + " on cpu " + cur.id + ": a CPU never blocks; continue in the reply handler");
        }
        if ((msg.flags() & Message.SYNC) == 0 && !(msg.replyPort instanceof WaitPort)) {
            throw new IllegalStateException(verb + ": " + msg + " replies to " + msg.replyPort
                    + ", which does not wake waiting threads; send it with WaitPort.get() as its reply port");
        }
        final Kernel k = kernelOf(msg);
        if (k != null && k.sim != null) {
            // a simulated kernel runs only while its controller waits: drive it to the reply (or the deadline)
            if (timeoutNanos != Long.MAX_VALUE) {
                final Simulation sim = k.sim;
                final long deadline = sim.nanoTime() + timeoutNanos;
                sim.runUntil(() -> (msg.flagsVolatile() & Message.DONE) != 0 || sim.nanoTime() - deadline >= 0);
                if ((msg.flagsVolatile() & Message.DONE) == 0) {
                    abortmsg(msg);
                }
            }
            return k.sim.awaitDone(msg);
        }
        msg.waiter = Thread.currentThread();
        final long deadline = timeoutNanos == Long.MAX_VALUE ? 0 : System.nanoTime() + timeoutNanos;
        boolean interrupted = false;
        boolean aborted = false;
        while ((msg.flagsVolatile() & Message.DONE) == 0) {
            if (timeoutNanos == Long.MAX_VALUE || aborted) {
                LockSupport.park(msg);
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    aborted = true;
                    abortmsg(msg);
                    continue;
                }
                LockSupport.parkNanos(msg, left);
            }
            if (Thread.interrupted()) {
                interrupted = true;
                if (!aborted) {
                    aborted = true;
                    abortmsg(msg);
                }
            }
        }
        msg.waiter = null;
        if (msg.sentAt != 0 && k != null) {
            k.recordExternalReplyLatency(k.clock().nanoTime() - msg.sentAt);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return msg.error;
    }

    /**
     * {@code lwkt_abortmsg}: asks for an in-flight {@link Message#ABORTABLE} message to be cancelled. An
     * abort is a request, not a completion: the message is still replied exactly once — normally, or
     * {@code ABORTED} — and the originator still waits for {@code DONE}. Any thread may call this.
     *
     * @return true if this call made the request; false if the message is not abortable, already
     *     replied or done, or an abort was already requested
     */
    public static boolean abortmsg(Message msg) {
        int f = msg.flags();
        if ((f & Message.ABORTABLE) == 0 || (f & (Message.DONE | Message.REPLY)) != 0) {
            return false;
        }
        if (!msg.claimAbort()) {
            return false;
        }
        msg.routeAbort();
        return true;
    }

    /**
     * {@code lwkt_dropmsg}: removes a {@link Message#DROPABLE} message from its target port's queue before
     * it is handled, completing it without a reply. On the CPU owning the target port.
     *
     * @return 0 if dropped; {@link Errno#ENOENT} if it was not queued there (already handled or replied)
     */
    public static int dropmsg(Message msg) {
        int f = msg.flags();
        if ((f & Message.DROPABLE) == 0) {
            throw new IllegalArgumentException("dropmsg: " + msg + " is not DROPABLE");
        }
        Port t = msg.target;
        Cpu cur = currentCpu();
        if (t == null || t.owner() == null || t.owner() != cur) {
            throw new IllegalStateException("dropmsg must run on the CPU that owns the message's target port");
        }
        if ((f & Message.QUEUED) != 0 && (f & Message.REPLY) == 0 && msg.queuedOn == t && t instanceof ThreadPort tp) {
            tp.unlink(msg);
            msg.setFlags(Message.DONE);
            countReply(msg);
            return Errno.OK;
        }
        return Errno.ENOENT;
    }

    // ------------------------------------------------------------------ internals

    static int checkSendable(String verb, Message msg) {
        Objects.requireNonNull(msg, "message");
        if (msg.replyPort == null) {
            throw new IllegalStateException(verb + ": " + msg + " has no reply port; init it first");
        }
        int f = msg.flags();
        if ((f & Message.DONE) == 0) {
            throw new IllegalStateException(verb + ": " + msg + " is still in flight (not DONE);"
                    + " a message is sent again only after its reply");
        }
        if ((f & Message.QUEUED) != 0) {
            throw new IllegalStateException(verb + ": " + msg + " is still queued on port '"
                    + (msg.queuedOn == null ? "?" : msg.queuedOn.name()) + "'");
        }
        return f;
    }

    static void prepare(Port port, Message msg, Origin.Kind kind) {
        msg.resetAbort();
        msg.error = 0;
        msg.exception = null;
        msg.abortHandler = null;
        msg.target = port;
        msg.handoffs++;
        final Cpu cur = currentCpu();
        if (cur != null) {
            // always counted: shutdown's "nothing lost" check needs it; its number picks the latency samples
            cur.stamp(msg, cur.msgSent.incrementRelease());
            if (Provenance.AVAILABLE && cur.provenance != null) {
                cur.provenance.sent(msg, port, kind, cur);
            }
        } else {
            Kernel k = port.owner() == null ? null : port.owner().kernel;
            if (k != null) {
                msg.sentAt = k.sampleExternal() ? k.clock().nanoTime() : 0;
                k.countExternalSend();
                if (Provenance.AVAILABLE && k.provenance != null) {
                    k.provenance.sent(msg, port, kind, null);
                }
            }
        }
    }

    /** Takes back what {@link #prepare} counted, for a send whose put threw: the message never left. */
    static void unprepare(Message msg) {
        final Cpu cur = currentCpu();
        if (cur != null) {
            cur.msgSent.getAndAddRelease(-1);
            if (Provenance.AVAILABLE && cur.provenance != null) {
                cur.provenance.unsent(msg);
            }
        } else {
            Kernel k = kernelOf(msg);
            if (k != null) {
                k.uncountExternalSend();
                if (Provenance.AVAILABLE && k.provenance != null) {
                    k.provenance.unsent(msg);
                }
            }
        }
    }

    static void countReply(Message msg) {
        final Cpu cur = currentCpu();
        if (cur != null) {
            cur.msgReplied.incrementRelease();
            if (Provenance.AVAILABLE && cur.provenance != null) {
                cur.provenance.replied(msg);
            }
        } else {
            Kernel k = kernelOf(msg);
            if (k != null) {
                k.countExternalReply();
                if (Provenance.AVAILABLE && k.provenance != null) {
                    k.provenance.replied(msg);
                }
            }
        }
    }

    private static Provenance provenanceOf(Message msg) {
        Kernel k = kernelOf(msg);
        return k == null ? null : k.provenance;
    }

    private static Kernel kernelOf(Message msg) {
        Port t = msg.target;
        if (t != null && t.owner() != null) {
            return t.owner().kernel;
        }
        Port r = msg.replyPort;
        return r != null && r.owner() != null ? r.owner().kernel : null;
    }
}
