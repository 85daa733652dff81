package org.lwktlab.netisr;

/**
 * One timer of one connection ({@code struct callout}): retransmit, delayed ACK, or 2MSL. It lives as
 * long as its {@link Tcpcb} and is linked into a {@link CalloutWheel} slot while armed, so arming and
 * cancelling allocate nothing.
 *
 * <p>{@link #deadline} is the tick it is due at, 0 when not armed; protocol code reads it (as "armed")
 * owning only the connection. It is written only by code that owns the connection (its netisr, or the
 * holder of its PCB lock): arming and cancelling also own the wheel (its CPU, or its lock) because they
 * link and unlink; firing clears it on a callout the wheel already unlinked. A wheel that hands an
 * expired callout to its CPU leaves the deadline in place; the CPU fires it only if, once it owns the
 * connection, the deadline is still the one it collected — otherwise the timer was cancelled or re-armed
 * in between (the mutex design's race, FreeBSD's {@code callout_stop} vs. {@code softclock}) and firing
 * it would be wrong. {@link #linked} belongs to the wheel alone.
 */
final class Callout {
    static final int REXMT = 0;
    static final int DELACK = 1;
    static final int MSL2 = 2;
    static final int KINDS = 3;

    final Tcpcb tp;
    final int kind;
    /** The wheel it lives on: its connection's RSS CPU's. */
    final CalloutWheel wheel;
    long deadline;
    Callout prev;
    Callout next;
    boolean linked;

    Callout(Tcpcb tp, int kind, CalloutWheel wheel) {
        this.tp = tp;
        this.kind = kind;
        this.wheel = wheel;
    }

    static String kindName(int kind) {
        return switch (kind) {
            case REXMT -> "retransmit";
            case DELACK -> "delayed-ack";
            case MSL2 -> "2msl";
            default -> "timer" + kind;
        };
    }
}
