package org.lwktlab.lab.experiments;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.lwktlab.lab.experiment.Check;
import org.lwktlab.lab.experiment.Param;
import org.lwktlab.lab.experiment.Trial;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.netisr.NetStack;
import org.lwktlab.netisr.NetStats;
import org.lwktlab.netisr.SockReq;
import org.lwktlab.netisr.Socket;
import org.lwktlab.netisr.load.Flow;

/**
 * Connection churn, netperf's TCP_CRR with empty messages: {@code conns} client loops each connect,
 * wait for the server to close (read end of stream), close, and open the next; the server accepts and
 * closes at once, as an HTTP/1.0 server does. One operation is one connection opened and closed
 * (latency: connect issued to close replied). Each client waits for the server, so the loop is closed
 * end to end: clients cannot open connections faster than the server accepts them, and the listen
 * backlog never overflows. Every connection inserts a PCB on both hosts and removes it again (after
 * TIME_WAIT on the server), so the mutex design takes its global {@code pcbinfo} lock on every insert,
 * remove and lookup — its worst case — while the message design keeps each connection on the CPU its
 * 4-tuple hashes to: the connect picks a local port that hashes to the connecting CPU ({@code lport=rss};
 * with {@code lport=any} it moves the PCB when it does not) and the server accepts it on that CPU.
 */
public final class NetisrConnect extends NetisrExperiment {
    @Override
    public String name() {
        return "netisr-connect";
    }

    @Override
    public String question() {
        return "Connections opened and closed per second: the global PCB table lock against per-CPU tables";
    }

    @Override
    List<Param> ownParams() {
        return List.of(new Param("conns", "16", "concurrent connect/close loops, spread over the client CPUs"));
    }

    @Override
    Load load(Trial t, NetStack st) {
        return new Churn(t, st, t.intParam("conns", 1));
    }

    private static final class Churn extends Load {
        final int loops;
        final AtomicLong opened = new AtomicLong();
        final AtomicLong accepted = new AtomicLong();

        Churn(Trial t, NetStack st, int loops) {
            super(t, st);
            this.loops = loops;
        }

        @Override
        ServerFlow serve(Socket so) {
            accepted.incrementAndGet();
            return new Closer(this, so);
        }

        @Override
        void startClients() {
            for (int i = 0; i < loops; i++) {
                int c = i % clients.length;
                clientsRunning.incrementAndGet();
                clients[c].start(new Opener(this));
            }
        }

        @Override
        public List<Check> verify() {
            List<Check> c = new java.util.ArrayList<>(super.verify());
            c.add(Check.equal("the server accepted every connection the clients opened", opened.get(), accepted.get()));
            return c;
        }

        @Override
        Map<String, Double> extraMetrics(long ops, NetStats d, double secs) {
            return Map.of("packets_per_connection", opened.get() == 0 ? Double.NaN : (double) d.rxPackets() / opened.get());
        }
    }

    /** connect, read end of stream, close, repeat until told to stop. */
    private static final class Opener extends Flow {
        private final Churn load;
        private final byte[] buf = new byte[16];
        private Socket so;
        private boolean moved;
        private long t0;

        Opener(Churn load) {
            this.load = load;
        }

        @Override
        protected void start() {
            if (moved) {
                moved = false; // moved to the connection's CPU (affinity=rss) to go on there
                req.recv(so, buf, 0, buf.length);
                call();
                return;
            }
            if (load.stop) {
                load.clientsRunning.decrementAndGet();
                return;
            }
            t0 = Lwkt.nanoTime();
            so = stack().socket(stack().client());
            req.connect(so, NetStack.SERVER_ADDR, PORT);
            call();
        }

        @Override
        protected void replied(SockReq r) {
            if (r.error() != 0) {
                load.failed(r);
                load.clientsRunning.decrementAndGet();
                return;
            }
            if (r.op() == SockReq.CONNECT) {
                load.opened.incrementAndGet();
                if (load.moveToRssCpu(this, app, so)) {
                    moved = true;
                    return;
                }
                req.recv(so, buf, 0, buf.length);
                call();
            } else if (r.op() == SockReq.RECV) {
                if (r.bytes() != 0) {
                    load.failures.add("client " + so + ": got data on a connect/close connection");
                }
                req.close(so);
                call();
            } else {
                load.recorders[app.cpu()].record(Lwkt.nanoTime() - t0);
                start();
            }
        }
    }

    /** close at once (the server closes first, and keeps the TIME_WAIT). */
    private static final class Closer extends ServerFlow {
        private final Socket so;

        Closer(Churn churn, Socket so) {
            super(churn);
            this.so = so;
        }

        @Override
        protected void start() {
            req.close(so);
            call();
        }

        @Override
        protected void replied(SockReq r) {
            if (r.error() != 0) {
                load.failed(r);
            }
            ended();
        }
    }
}
