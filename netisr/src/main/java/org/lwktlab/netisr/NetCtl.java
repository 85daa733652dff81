package org.lwktlab.netisr;

import org.lwktlab.lwkt.Message;

/**
 * The stack's own control messages between netisrs (message design), and the per-CPU clock tick.
 * <ul>
 *   <li>{@link #HANDOFF}: an established connection no accept on its own CPU took, from that CPU's
 *       listen replica to one on a CPU where an accept waits (the clock tick's balancing; the message
 *       is embedded in the socket, like DragonFly's {@code so_notify} message, so it costs no
 *       allocation).</li>
 *   <li>{@link #ABORT}: the listener is gone; the connection's CPU resets it.</li>
 *   <li>{@link #TICK}: the hardclock's tick to one CPU's netisr: run due timers (one static message per
 *       CPU, sent only when {@code DONE}, so ticks coalesce into the one in flight, dragonfly.md §9.19).</li>
 * </ul>
 * All are replied to the null port.
 */
final class NetCtl extends Message {
    static final int HANDOFF = 1;
    static final int ABORT = 2;
    static final int TICK = 3;

    int kind;
    final Socket so;
    /** HANDOFF: the listener the connection goes to. */
    Listener listener;

    NetCtl(Socket so) {
        this.so = so;
    }

    NetCtl(int kind) {
        this.so = null;
        this.kind = kind;
    }

    @Override
    public String toString() {
        return "NetCtl[" + (kind == HANDOFF ? "handoff" : kind == ABORT ? "abort" : "tick")
                + (so != null ? " " + so : "") + ", " + flagNames(flags()) + "]";
    }
}
