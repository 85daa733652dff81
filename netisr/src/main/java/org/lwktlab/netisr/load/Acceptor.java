package org.lwktlab.netisr.load;

import java.util.Objects;
import java.util.function.Function;
import org.lwktlab.netisr.Host;
import org.lwktlab.netisr.SoErrno;
import org.lwktlab.netisr.SockReq;
import org.lwktlab.netisr.Socket;

/**
 * Listens on a port and accepts forever, handing each accepted socket — as the flow {@code serve}
 * makes for it — to the next of {@code workers} in turn (or, with {@code onOwnCpu}, to the worker on
 * the CPU the connection's packets arrive on, {@link Socket#rssCpu()}). It stops when its listening socket is closed
 * ({@link #close} from any thread).
 */
public final class Acceptor extends Flow {
    private final Host host;
    private final int port;
    private final AppThread[] workers;
    private final Function<Socket, Flow> serve;
    private final boolean onOwnCpu;
    private final Outcomes out;
    private volatile Socket listening;
    private volatile boolean listeningDone;
    private int next;

    public Acceptor(Host host, int port, AppThread[] workers, Function<Socket, Flow> serve, boolean onOwnCpu,
                    Outcomes out) {
        this.host = host;
        this.port = port;
        this.workers = workers.clone();
        this.serve = Objects.requireNonNull(serve, "serve");
        this.onOwnCpu = onOwnCpu;
        this.out = out;
    }

    @Override
    protected void start() {
        listening = stack().socket(host);
        req.listen(listening, port);
        call();
    }

    /** True once {@code listen} succeeded. */
    public boolean listening() {
        return listeningDone;
    }

    @Override
    protected void replied(SockReq r) {
        if (r.error() != 0) {
            if (r.op() == SockReq.ACCEPT && r.error() == SoErrno.ECONNABORTED) {
                return; // the listening socket was closed: done
            }
            out.failed(SockReq.opName(r.op()) + " on " + listening + ": " + SoErrno.name(r.error()) + " " + r.errorDetail());
            return;
        }
        if (r.op() == SockReq.LISTEN) {
            listeningDone = true;
        } else {
            Socket so = r.accepted();
            AppThread w = onOwnCpu ? workers[so.rssCpu() % workers.length] : workers[next++ % workers.length];
            w.start(serve.apply(so));
        }
        req.accept(listening);
        call();
    }

    /** Closes the listening socket (a separate call, from any thread), which ends the accept loop. */
    public void close(org.lwktlab.netisr.BlockingSockets b) {
        Socket l = listening;
        if (l != null) {
            b.close(l);
        }
    }
}
