package org.lwktlab.lwkt;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code --debug provenance} facility of one kernel: stamps every message with an {@link Origin}
 * when it is sent or forwarded, and keeps the set of messages sent and not yet replied, so the
 * shutdown report can list each leaked message with its whole origin chain.
 *
 * <p><b>Cost.</b> Exists only when switched on: the message verbs and the CPU loop test one field for
 * null ({@code Cpu.provenance}, {@code Kernel.provenance}) and do nothing else when it is off. When on,
 * every send walks the stack and allocates — it is a debugging mode, not a measuring one.
 *
 * <p><b>Threads.</b> {@link #sent}, {@link #forwarded} and {@link #replied} run on whichever thread
 * uses the verb (a CPU or an outside thread), so the in-flight set is concurrent. A message's own
 * {@code origin} field follows the message's ownership rule: only its current owner writes it.
 */
final class Provenance {
    /**
     * False when the JVM runs with {@code -Dlwkt.provenance.disabled=true}: every provenance test in the
     * message paths then folds away at JIT time, which is how the {@code ProvenanceOverhead} benchmark
     * measures the paths with no hook at all, to show the cost of the hook when provenance is off.
     */
    static final boolean AVAILABLE = !Boolean.getBoolean("lwkt.provenance.disabled");

    /** Frames of the kernel's own message machinery, dropped from the top of every recorded stack. */
    private static final Set<String> MACHINERY = Set.of(Lwkt.class.getName(), Provenance.class.getName(),
            Cpu.class.getName(), "org.lwktlab.lwkt.MsgChain", "org.lwktlab.lwkt.MsgChain$Link");
    /**
     * Frames where the kernel called into the sender (a CPU dispatching a handler, draining an IPI): the
     * recorded stack ends there, since what called the handler is the previous link of the chain.
     */
    private static final Set<String> DISPATCH = Set.of(ThreadPort.class.getName(), CallbackPort.class.getName(),
            Cpu.class.getName(), "org.lwktlab.ipi.IpiQueue", "org.lwktlab.ipi.SubmissionQueue",
            "org.lwktlab.ipi.IpiFabric");
    private static final StackWalker WALKER = StackWalker.getInstance();

    private final int frames;
    private final int depth;
    private final Set<Message> inFlight = ConcurrentHashMap.newKeySet();
    private volatile ProvenanceTap tap;

    Provenance(int frames, int depth) {
        this.frames = frames;
        this.depth = depth;
    }

    /** {@code msg} leaves for {@code port} by {@code kind}; {@code cur} is the sending CPU or null outside. */
    void sent(Message msg, Port port, Origin.Kind kind, Cpu cur) {
        Origin cause = null;
        Origin.Relation rel = null;
        if (cur != null && cur.handling != null) {
            Message h = cur.handling;
            cause = h.origin;
            rel = cur.handlingReply ? Origin.Relation.CAUSE_REPLY : Origin.Relation.CAUSE_REQUEST;
        }
        msg.origin = new Origin(kind, describe(msg), port.name(), who(cur), stack(), cause, rel, depth);
        inFlight.add(msg);
    }

    /** {@code msg}, in flight, is passed on to {@code port}: a new hop on top of its chain. */
    void forwarded(Message msg, Port port, Cpu cur) {
        msg.origin = new Origin(Origin.Kind.FORWARDED, describe(msg), port.name(), who(cur), stack(), msg.origin,
                Origin.Relation.EARLIER_HOP, depth);
    }

    /** {@code msg} was replied (or dropped): it is no longer outstanding. */
    void replied(Message msg) {
        inFlight.remove(msg);
    }

    /** A send that failed before the message left: it was never outstanding. */
    void unsent(Message msg) {
        inFlight.remove(msg);
    }

    /** On CPU {@code cpu}: {@code td} is about to handle {@code msg}. */
    void dispatching(Cpu cpu, LwktThread td, Message msg) {
        ProvenanceTap t = tap;
        if (t != null) {
            t.handling(cpu, td, msg, msg.origin);
        }
    }

    void tap(ProvenanceTap t) {
        this.tap = t;
    }

    /** Messages sent and not replied, now (a snapshot). */
    List<Message> outstanding() {
        return new ArrayList<>(inFlight);
    }

    private static String describe(Message m) {
        return m.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(m));
    }

    private static String who(Cpu cur) {
        if (cur == null) {
            return "outside thread '" + Thread.currentThread().getName() + "'";
        }
        LwktThread td = cur.current;
        return td == null ? "IPI context on cpu " + cur.id : "thread '" + td.name + "' on cpu " + cur.id;
    }

    private StackTraceElement[] stack() {
        return WALKER.walk(s -> s.dropWhile(f -> MACHINERY.contains(f.getClassName()))
                .takeWhile(f -> !DISPATCH.contains(f.getClassName()))
                .limit(frames)
                .map(StackWalker.StackFrame::toStackTraceElement)
                .toArray(StackTraceElement[]::new));
    }
}
