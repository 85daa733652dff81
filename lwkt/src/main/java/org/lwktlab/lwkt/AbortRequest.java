package org.lwktlab.lwkt;

import org.lwktlab.ipi.IpiFunction;
import org.lwktlab.ipi.SubmittedIpi;

/**
 * Carries an abort request to the CPU that owns a message's target port, and resolves it there
 * (DragonFly's 2007 abort protocol, dragonfly.md §2):
 * <ul>
 *   <li>already replied → nothing (the reply won the race); so too when the message was replied and
 *       sent again before the request arrived — the new send cleared it, and it must not cancel the
 *       message's next life;</li>
 *   <li>the target moved (forwarded, migrated) → the request chases it, on the same FIFO ring the
 *       message itself travelled;</li>
 *   <li>still queued, not yet handled → unlinked and replied {@code ABORTED} (cancel-before-start);</li>
 *   <li>parked by a subsystem that registered an {@link AbortHandler} → that handler replies it;</li>
 *   <li>being handled → the handler sees {@link Message#abortRequested()} at its next safe point.</li>
 * </ul>
 * Every reply comes from the owning CPU, so the normal reply and the abort reply are serialised:
 * exactly one happens, and the originator sees that one (§9.12). A request that overtakes its message
 * (sent from a third CPU) is caught when the message lands: {@code putLocal} replies it aborted.
 */
final class AbortRequest implements SubmittedIpi {
    static final IpiFunction ABORT_IPI = (cpu, a, a2) -> onOwner((Message) a);

    private final Message msg;

    AbortRequest(Message msg) {
        this.msg = msg;
    }

    @Override
    public void ipi(int cpu) {
        onOwner(msg);
    }

    /** Sends the abort request for {@code m} toward its target's owner. */
    static void route(Message m) {
        Port t = m.target;
        Cpu own = t == null ? null : t.owner();
        if (own == null) {
            return;
        }
        Cpu cur = Lwkt.currentCpu();
        if (cur == own) {
            onOwner(m);
        } else if (cur != null && cur.kernel == own.kernel) {
            cur.fabric.send(cur.id, own.id, ABORT_IPI, m, 0);
        } else {
            AbortRequest carrier = m.abortCarrier;
            if (carrier == null) {
                carrier = new AbortRequest(m);
                m.abortCarrier = carrier;
            }
            own.kernel.submitFromOutside(own.id, carrier, true);
        }
    }

    static void onOwner(Message m) {
        int f = m.flags();
        if ((f & Message.REPLY) != 0 || !m.abortRequested()) {
            // replied, or replied and sent again since (the send cleared the request): the request is stale,
            // and must not cancel the message's next life
            return;
        }
        Port t = m.target;
        if (t.owner() != Lwkt.currentCpu()) {
            route(m);
            return;
        }
        if ((f & Message.QUEUED) != 0 && m.queuedOn == t && t instanceof ThreadPort tp) {
            tp.unlink(m);
            Lwkt.replyAborted(m);
            return;
        }
        AbortHandler h = m.abortHandler;
        if (h != null) {
            m.abortHandler = null;
            h.abort(m);
        }
    }
}
