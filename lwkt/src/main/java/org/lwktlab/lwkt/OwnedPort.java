package org.lwktlab.lwkt;

import org.lwktlab.ipi.IpiFunction;

/**
 * A port owned by an LWKT thread, hence by that thread's CPU. Puts and replies from the owner CPU are
 * plain queue inserts; from another CPU they are IPIs that do the insert on the owner; from a thread
 * outside the kernel they go through the owner's submission queue.
 *
 * <p><b>Migration chasing</b> (§9.14): whatever arrives on a CPU that no longer owns the port is
 * routed again to the current owner, so it is delivered exactly once, on the new CPU.
 */
abstract sealed class OwnedPort extends Port permits ThreadPort, CallbackPort {
    static final IpiFunction PUT_IPI = (cpu, a, a2) -> {
        Message m = (Message) a;
        m.target.putLocal(m);
    };
    static final IpiFunction REPLY_IPI = (cpu, a, a2) -> {
        Message m = (Message) a;
        m.replyPort.replyLocal(m);
    };

    final LwktThread td;

    OwnedPort(String name, LwktThread td) {
        super(name);
        this.td = td;
    }

    @Override
    public final Cpu owner() {
        return td.cpu;
    }

    /** The thread that owns this port. */
    public final LwktThread thread() {
        return td;
    }

    final void route(Message m, byte op) {
        final Cpu own = td.cpu;
        final Cpu cur = Lwkt.currentCpu();
        if (cur == own) {
            if (op == Message.OP_PUT) {
                putLocal(m);
            } else {
                replyLocal(m);
            }
        } else if (cur != null && cur.kernel == own.kernel) {
            m.setFlags(Message.INTRANSIT);
            own.kernel.fabric.send(cur.id, own.id, op == Message.OP_PUT ? PUT_IPI : REPLY_IPI, m, 0);
        } else {
            m.submitOp = op;
            own.kernel.submitFromOutside(own.id, m, op == Message.OP_REPLY);
        }
    }

    /** True (and the message re-routed) if this CPU no longer owns the port. */
    final boolean chase(Message m, byte op) {
        if (td.cpu == Lwkt.currentCpu()) {
            return false;
        }
        route(m, op);
        return true;
    }
}
