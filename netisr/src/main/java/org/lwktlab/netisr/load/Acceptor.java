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
 *
 * <p>With {@code loops > 1} it is a pre-forked server: once listening, it starts {@code loops - 1} more
 * accept loops on the same listening socket, one per worker in turn, so that many {@code accept} calls
 * wait at once and a burst of connections is not served one reply at a time. As in a pre-forked
 * server (each process accepts, serves, accepts again), each loop serves the connections it accepts on
 * its own worker (unless {@code onOwnCpu} places them by RSS); loops run on different CPUs and share
 * nothing.
 */
public final class Acceptor extends Flow {
    private final Host host;
    private final int port;
    private final AppThread[] workers;
    private final Function<Socket, Flow> serve;
    private final boolean onOwnCpu;
    private final Outcomes out;
    private final int loops;
    private volatile Socket listening;
    private volatile boolean listeningDone;
    private int next;

    /** One accept loop. */
    public Acceptor(Host host, int port, AppThread[] workers, Function<Socket, Flow> serve, boolean onOwnCpu,
                    Outcomes out) {
        this(host, port, workers, serve, onOwnCpu, out, 1);
    }

    /**
     * {@code loops} accept loops on one listening socket.
     *
     * @throws IllegalArgumentException if {@code loops} is not 1..1024
     */
    public Acceptor(Host host, int port, AppThread[] workers, Function<Socket, Flow> serve, boolean onOwnCpu,
                    Outcomes out, int loops) {
        if (loops < 1 || loops > 1024) {
            throw new IllegalArgumentException("accept loops must be 1..1024, got " + loops);
        }
        this.loops = loops;
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
        if (r.op() == SockReq.LISTEN && r.error() == 0) {
            listeningDone = true;
            for (int i = 1; i < loops; i++) {
                workers[i % workers.length].start(new Loop());
            }
        } else if (!accepted(r, loops > 1 ? app : workers[Math.floorMod(next++, workers.length)])) {
            return;
        }
        req.accept(listening);
        call();
    }

    /**
     * Serves the socket accept call {@code r} returned on {@code worker} (or, with {@code onOwnCpu}, on
     * the worker of its RSS CPU); false if the loop should stop (the listener was closed, or the call
     * failed).
     */
    private boolean accepted(SockReq r, AppThread worker) {
        if (r.error() != 0) {
            if (r.op() == SockReq.ACCEPT && r.error() == SoErrno.ECONNABORTED) {
                return false; // the listening socket was closed: done
            }
            out.failed(SockReq.opName(r.op()) + " on " + listening + ": " + SoErrno.name(r.error()) + " " + r.errorDetail());
            return false;
        }
        Socket so = r.accepted();
        AppThread w = onOwnCpu ? workers[so.rssCpu() % workers.length] : worker;
        w.start(serve.apply(so));
        return true;
    }

    /** A further accept loop on the listening socket (pre-forked server), serving on its own worker. */
    private final class Loop extends Flow {

        @Override
        protected void start() {
            req.accept(listening);
            call();
        }

        @Override
        protected void replied(SockReq r) {
            if (accepted(r, app)) {
                start();
            }
        }
    }

    /** Closes the listening socket (a separate call, from any thread), which ends the accept loop. */
    public void close(org.lwktlab.netisr.BlockingSockets b) {
        Socket l = listening;
        if (l != null) {
            b.close(l);
        }
    }
}
