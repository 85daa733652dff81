package org.lwktlab.netisr.load;

import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.NullPort;
import org.lwktlab.netisr.NetStack;
import org.lwktlab.netisr.SockReq;

/**
 * One connection's state machine, run by an {@link AppThread}: {@link #start} makes the first socket
 * call, {@link #replied} continues from each reply. Subclasses issue calls with {@link #call}, which
 * reuses the flow's one {@link SockReq}, so a running flow allocates nothing.
 *
 * <p>Touched only by its app thread's CPU once started.
 */
public abstract class Flow {
    /** The flow's socket call, reused for every call (its payload is the flow). */
    protected final SockReq req = new SockReq();
    /** The message that hands the flow to its app thread. */
    final Message startMsg = new Message(NullPort.get());
    /** The app thread running it (set when it starts). */
    protected AppThread app;

    protected Flow() {
        req.payload(this);
        startMsg.payload(this);
    }

    /** Makes the first call. On the app thread. */
    protected abstract void start();

    /** Continues after a call's reply ({@code r == req}). On the app thread. */
    protected abstract void replied(SockReq r);

    /** Submits {@link #req} (already filled with listen/connect/...), the reply coming back to this flow. */
    protected final void call() {
        req.init(app.replies);
        app.stack.submit(req);
    }

    /** The stack the flow runs on. */
    protected final NetStack stack() {
        return app.stack;
    }
}
