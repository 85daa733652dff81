package org.lwktlab.lwkt;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.lwktlab.ipi.SubmittedIpi;

/**
 * A message, after DragonFly's {@code lwkt_msg}: a reply port, flags, an error, a result, and a payload
 * (subclass it to carry typed fields, as {@code netmsg} embeds {@code lwkt_msg}).
 *
 * <p><b>Ownership</b> (the header's rule, dragonfly.md §2): only the current owner touches a message —
 * the originator before the send and after the reply, the target in between. Ownership moves through
 * IPI rings and submission queues, whose release/acquire gives the next owner everything the previous
 * one wrote, so the flags are plain fields published with release stores. The one thing another thread
 * may write concurrently — an abort request — lives in its own field ({@link #abortRequested()}).
 *
 * <p><b>States</b> (§9.9–9.11):
 * <ul>
 *   <li>A new or completed message has {@link #DONE}; {@code sendmsg}/{@code domsg} require it and clear
 *       it; it is set again exactly once per send, on the originator's side, after {@link #REPLY}.
 *       Whoever observes {@code DONE} also observes the error and the result.</li>
 *   <li>{@link #QUEUED} is set exactly while the message is linked on a port queue; a message is on at
 *       most one queue.</li>
 *   <li>A message is replied exactly once: a second {@code replymsg} throws.</li>
 *   <li>{@link #SYNC} replies never queue: they set {@code DONE} and wake the waiter.</li>
 * </ul>
 *
 * <p>Messages are reusable: re-{@link #init init} (or just send again) once {@code DONE}. Pool them
 * (e.g. with an {@code ObjCache}) so the steady state allocates nothing.
 */
public class Message implements SubmittedIpi {
    /** Complete: set on a new message and when the reply reaches the originator. */
    public static final int DONE = 0x1;
    /** A reply has been issued; stays set, so a reply can be told from a request. */
    public static final int REPLY = 0x2;
    /** Linked on a port queue. */
    public static final int QUEUED = 0x4;
    /** The originator waits for it ({@code domsg}); the reply wakes it instead of queueing. */
    public static final int SYNC = 0x8;
    /** Moving between CPUs by IPI (debug aid). */
    public static final int INTRANSIT = 0x10;
    /** May be removed from its target port by {@code dropmsg}. */
    public static final int DROPABLE = 0x40;
    /** May be aborted by {@code abortmsg}. */
    public static final int ABORTABLE = 0x80;
    /** Dequeued before normal messages (FIFO within each class). */
    public static final int PRIORITY = 0x100;
    /** The reply is the outcome of an abort (error {@link Errno#EINTR}). */
    public static final int ABORTED = 0x200;
    /** Free for the protocol layer, as DragonFly's {@code MSGF_USER0..3}. */
    public static final int USER0 = 0x10000;
    public static final int USER1 = 0x20000;
    public static final int USER2 = 0x40000;
    public static final int USER3 = 0x80000;

    static final byte OP_PUT = 1;
    static final byte OP_REPLY = 2;

    private static final VarHandle FLAGS;
    private static final VarHandle ABORT_STATE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            FLAGS = l.findVarHandle(Message.class, "flags", int.class);
            ABORT_STATE = l.findVarHandle(Message.class, "abortState", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Port-queue links and routing: touched by the owner only.
    Message next;
    Message prev;
    Port queuedOn;
    Port target;
    Port replyPort;
    private int flags = DONE;
    int error;
    Throwable exception;
    /** 0 = none, 1 = abort requested. Any thread may CAS it (once). */
    private volatile int abortState;
    AbortHandler abortHandler;
    volatile Thread waiter;
    /** {@code System.nanoTime()} at send when sampled for latency, else 0. */
    long sentAt;
    /** Bumped at every hand-off (put, reply), so a failing handler knows whether it still owns the message. */
    int handoffs;
    byte submitOp;
    AbortRequest abortCarrier;
    /** Who sent it and through which hops, with {@code --debug provenance}; else null. Owner writes. */
    Origin origin;

    private Object payload;
    private long arg;
    private long result;
    private Object resultObject;

    /** A message with no reply port yet ({@link #init} sets one). */
    public Message() {}

    /** A message replied to {@code replyPort}. */
    public Message(Port replyPort) {
        init(replyPort);
    }

    /** {@code lwkt_initmsg}: sets the reply port and resets the flags to {@code DONE | extraFlags}. */
    public final Message init(Port replyPort, int extraFlags) {
        if ((flags() & DONE) == 0) {
            throw new IllegalStateException("cannot re-init " + this + ": it is still in flight (not DONE)");
        }
        this.replyPort = replyPort;
        FLAGS.setRelease(this, DONE | (extraFlags & ~(DONE | REPLY | QUEUED | SYNC | INTRANSIT | ABORTED)));
        return this;
    }

    /** {@code lwkt_initmsg} with no extra flags. */
    public final Message init(Port replyPort) {
        return init(replyPort, 0);
    }

    /** {@code lwkt_initmsg_abortable}: like {@link #init} with {@link #ABORTABLE}. */
    public final Message initAbortable(Port replyPort) {
        return init(replyPort, ABORTABLE);
    }

    /** The flags now (acquire). */
    public final int flags() {
        return (int) FLAGS.getAcquire(this);
    }

    /** The flags with a full fence (for the waiter side of the wake-up protocol). */
    final int flagsVolatile() {
        return (int) FLAGS.getVolatile(this);
    }

    /** True when complete: never sent, or replied and the reply reached the originator. */
    public final boolean isDone() {
        return (flags() & DONE) != 0;
    }

    /** True once a reply was issued (a handler sees this on replies coming back to it). */
    public final boolean isReply() {
        return (flags() & REPLY) != 0;
    }

    /** True if the reply was the outcome of an abort. */
    public final boolean isAborted() {
        return (flags() & ABORTED) != 0;
    }

    /** The error it was replied with ({@link Errno}); meaningful once {@link #isReply()}. */
    public final int error() {
        return error;
    }

    /** The exception a handler threw while processing it, or null. */
    public final Throwable exception() {
        return exception;
    }

    /** Where replies go. */
    public final Port replyPort() {
        return replyPort;
    }

    /** The port it was last sent or forwarded to. */
    public final Port targetPort() {
        return target;
    }

    /**
     * The origin chain of the latest send (and its forwards): who sent this message, from where, and what
     * that sender was handling. Null unless the kernel runs with {@code --debug provenance}.
     */
    public final Origin origin() {
        return origin;
    }

    /** True once {@code abortmsg} asked for this message to be cancelled. Handlers poll this at safe points. */
    public final boolean abortRequested() {
        return abortState != 0;
    }

    /**
     * Registers how to cancel this message while it is held (parked) by the current owner; cleared when
     * used. Owner CPU only.
     */
    public final void abortHandler(AbortHandler h) {
        this.abortHandler = h;
    }

    public final Object payload() {
        return payload;
    }

    public final Message payload(Object p) {
        this.payload = p;
        return this;
    }

    public final long arg() {
        return arg;
    }

    public final Message arg(long a) {
        this.arg = a;
        return this;
    }

    /** Numeric result set by the handler. */
    public final long result() {
        return result;
    }

    public final Message result(long r) {
        this.result = r;
        return this;
    }

    /** Reference result set by the handler. */
    public final Object resultObject() {
        return resultObject;
    }

    public final Message resultObject(Object r) {
        this.resultObject = r;
        return this;
    }

    // ------------------------------------------------------------------ package internals

    final void setFlags(int bits) {
        FLAGS.setRelease(this, (int) FLAGS.get(this) | bits);
    }

    final void clearFlags(int bits) {
        FLAGS.setRelease(this, (int) FLAGS.get(this) & ~bits);
    }

    /** Sets flags with a full fence, for the Dekker pair with a parked waiter. */
    final void setFlagsVolatile(int bits) {
        FLAGS.setVolatile(this, (int) FLAGS.get(this) | bits);
    }

    final void replaceFlags(int value) {
        FLAGS.setRelease(this, value);
    }

    final boolean claimAbort() {
        return ABORT_STATE.compareAndSet(this, 0, 1);
    }

    final void resetAbort() {
        ABORT_STATE.setRelease(this, 0);
    }

    /** Carries a claimed abort request to whoever holds the message now (a chain aims at its current step). */
    void routeAbort() {
        AbortRequest.route(this);
    }

    /** Delivery through a submission queue (a thread outside the kernel sent or replied it). */
    @Override
    public final void ipi(int cpu) {
        byte op = submitOp;
        submitOp = 0;
        if (op == OP_PUT) {
            target.putLocal(this);
        } else if (op == OP_REPLY) {
            replyPort.replyLocal(this);
        } else {
            throw new IllegalStateException("message " + this + " reached cpu " + cpu + " with no pending operation");
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(this))
                + "[" + flagNames(flags()) + (target != null ? " -> " + target.name() : "") + "]";
    }

    /** {@code DONE|REPLY}. */
    public static String flagNames(int f) {
        StringBuilder sb = new StringBuilder();
        String[] names = {"DONE", "REPLY", "QUEUED", "SYNC", "INTRANSIT", "WAITING", "DROPABLE", "ABORTABLE",
            "PRIORITY", "ABORTED"};
        for (int i = 0; i < names.length; i++) {
            if ((f & (1 << i)) != 0) {
                if (!sb.isEmpty()) {
                    sb.append('|');
                }
                sb.append(names[i]);
            }
        }
        return sb.isEmpty() ? "0" : sb.toString();
    }
}
