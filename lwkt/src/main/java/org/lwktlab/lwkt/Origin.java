package org.lwktlab.lwkt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One link of a message's origin chain, recorded when {@link KernelConfig.Debug#PROVENANCE} is on: who
 * sent or forwarded the message, to which port, from where (the sender's stack), and what came before —
 * an earlier hop of the same message, or the message its sender was handling at the time (the cause).
 * Following {@link #up()} is the debugger walk a message-passing kernel otherwise lacks: from the
 * message a handler failed on, up to the queue it came through, on to the code that sent it, and on to
 * the message <em>that</em> code was handling.
 *
 * <p><b>Invariants.</b> Immutable, so a chain can be shared by every message sent while handling one
 * message, kept in a {@link HandlerError} after the message was reused, and read from any thread. A
 * chain holds at most {@code provenance.depth} links: older links are cut when a new one is added (a
 * request/reply loop would otherwise grow it without bound) and counted in {@link #omitted()}.
 */
public final class Origin {
    /** How the message left its sender at this link. */
    public enum Kind {
        /** {@code sendmsg}. */
        SENT("sendmsg"),
        /** {@code domsg}. */
        DOMSG("domsg"),
        /** {@code forwardmsg}: a hop after the first. */
        FORWARDED("forwardmsg");

        private final String verb;

        Kind(String verb) {
            this.verb = verb;
        }

        /** The verb's name. */
        public String verb() {
            return verb;
        }
    }

    /** What {@link #up()} is to this link. */
    public enum Relation {
        /** The same message's previous hop (this link is a forward). */
        EARLIER_HOP,
        /** The request the sender was handling when it sent this message. */
        CAUSE_REQUEST,
        /** The reply the sender was handling when it sent this message. */
        CAUSE_REPLY
    }

    private final Kind kind;
    private final String message;
    private final String port;
    private final String by;
    private final StackTraceElement[] stack;
    private final Origin up;
    private final Relation relation;
    private final int depth;
    private final long omitted;

    Origin(Kind kind, String message, String port, String by, StackTraceElement[] stack, Origin up,
           Relation relation, int maxDepth) {
        this.kind = kind;
        this.message = message;
        this.port = port;
        this.by = by;
        this.stack = stack;
        Origin u = up;
        long omit = 0;
        if (u != null) {
            if (u.depth >= maxDepth) {
                omit = u.depth - (maxDepth - 1) + u.omitted;
                u = maxDepth > 1 ? u.copy(maxDepth - 1, omit) : null;
            } else {
                omit = u.omitted;
            }
        }
        this.up = u;
        this.relation = u == null ? null : relation;
        this.depth = u == null ? 1 : u.depth + 1;
        this.omitted = omit;
    }

    private Origin(Origin o, Origin up, long omitted) {
        this.kind = o.kind;
        this.message = o.message;
        this.port = o.port;
        this.by = o.by;
        this.stack = o.stack;
        this.up = up;
        this.relation = up == null ? null : o.relation;
        this.depth = up == null ? 1 : up.depth + 1;
        this.omitted = omitted;
    }

    /** The first {@code keep} links of this chain, re-linked, with {@code omitted} recorded on each. */
    private Origin copy(int keep, long omittedCount) {
        Origin below = keep > 1 && up != null ? up.copy(keep - 1, omittedCount) : null;
        return new Origin(this, below, omittedCount);
    }

    public Kind kind() {
        return kind;
    }

    /** The message, as it printed when it left ({@code Message@1b6d3586}). */
    public String message() {
        return message;
    }

    /** The port it was sent or forwarded to. */
    public String port() {
        return port;
    }

    /** Who sent it: {@code thread 'client0' on cpu 0}, {@code IPI context on cpu 1}, {@code outside thread 'main'}. */
    public String by() {
        return by;
    }

    /** The sender's stack, innermost first, without the kernel's own frames (a copy). */
    public StackTraceElement[] stack() {
        return stack.clone();
    }

    /** The link before this one, or null at the top of what was kept. */
    public Origin up() {
        return up;
    }

    /** What {@link #up()} is to this link; null when there is none. */
    public Relation relation() {
        return relation;
    }

    /** Links in this chain, counting this one. */
    public int depth() {
        return depth;
    }

    /** Older links that were cut to keep the chain at {@code provenance.depth}. */
    public long omitted() {
        return omitted;
    }

    /** This link and every one above it, this one first. */
    public List<Origin> links() {
        List<Origin> l = new ArrayList<>(depth);
        for (Origin o = this; o != null; o = o.up) {
            l.add(o);
        }
        return l;
    }

    /**
     * The whole chain, one link per paragraph, each with its stack, indented by {@code indent}. A run of
     * identical links (a message re-sent from its own reply, round after round) prints once, with a count.
     */
    public String describe(String indent) {
        StringBuilder sb = new StringBuilder();
        Relation rel = null;
        for (Origin o = this; o != null; o = o.up) {
            int repeats = 0;
            while (o.up != null && o.relation == rel && o.up.sameSiteAs(o)) {
                repeats++;
                o = o.up;
            }
            if (repeats > 0) {
                sb.append(indent).append("(the next link repeats ").append(repeats + 1).append(" times in a row)\n");
            }
            sb.append(indent);
            if (rel == null) {
                sb.append(o.message).append(" was ");
            } else {
                sb.append(switch (rel) {
                    case EARLIER_HOP -> "before that, it was ";
                    case CAUSE_REQUEST -> "which was sent while handling request " + o.message + ", which was ";
                    case CAUSE_REPLY -> "which was sent while handling the reply to " + o.message + ", which was ";
                });
            }
            sb.append(o.kind == Kind.FORWARDED ? "forwarded" : "sent").append(" to port '").append(o.port)
                    .append("' by ").append(o.by).append(" (").append(o.kind.verb).append(")\n");
            for (StackTraceElement f : o.stack) {
                sb.append(indent).append("    at ").append(f).append('\n');
            }
            rel = o.relation;
        }
        if (omitted > 0) {
            sb.append(indent).append("... ").append(omitted)
                    .append(" older link(s) not kept (raise --set provenance.depth)\n");
        }
        return sb.toString();
    }

    /** Same message, port, sender, verb and stack: a loop going round. */
    private boolean sameSiteAs(Origin o) {
        return kind == o.kind && message.equals(o.message) && port.equals(o.port)
                && by.equals(o.by) && Arrays.equals(stack, o.stack);
    }

    @Override
    public String toString() {
        return describe("");
    }
}
