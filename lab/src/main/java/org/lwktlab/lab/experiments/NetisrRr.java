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

/**
 * netperf's TCP_RR: {@code conns} connections, each a closed loop of a {@code req}-byte request and a
 * {@code resp}-byte response. One operation is one transaction; its latency runs from the request's
 * send to the response's last byte. Both sides check every byte (a pattern of the transaction number
 * and position), so a lost, duplicated or misplaced byte fails the trial.
 */
public final class NetisrRr extends NetisrExperiment {
    @Override
    public String name() {
        return "netisr-rr";
    }

    @Override
    public String question() {
        return "Request/response over TCP: do per-CPU netisrs owning their PCBs beat a locked global PCB table?";
    }

    @Override
    List<Param> ownParams() {
        return List.of(
                new Param("conns", "16", "connections (C), spread over the client CPUs"),
                new Param("req", "64", "request bytes (R)"),
                new Param("resp", "64", "response bytes (S)"));
    }

    @Override
    Load load(Trial t, NetStack st) {
        return new Rr(t, st, t.intParam("conns", 1), t.intParam("req", 1), t.intParam("resp", 1));
    }

    static byte requestByte(long txn, int i) {
        return (byte) (txn * 17 + i);
    }

    static byte responseByte(long txn, int i) {
        return (byte) (txn * 31 + i + 7);
    }

    private static final class Rr extends Load {
        final int conns;
        final int req;
        final int resp;
        final AtomicLong badBytes = new AtomicLong();
        final AtomicLong transactions = new AtomicLong();

        Rr(Trial t, NetStack st, int conns, int req, int resp) {
            super(t, st);
            this.conns = conns;
            this.req = req;
            this.resp = resp;
        }

        @Override
        ServerFlow serve(Socket so) {
            return new Server(this, so);
        }

        @Override
        void startClients() {
            for (int i = 0; i < conns; i++) {
                int c = i % clients.length;
                clientsRunning.incrementAndGet();
                clients[c].start(new Client(this));
            }
        }

        @Override
        public List<Check> verify() {
            List<Check> c = new java.util.ArrayList<>(super.verify());
            c.add(Check.equal("every request and response byte arrived intact and in order", 0, badBytes.get()));
            return c;
        }

        @Override
        Map<String, Double> extraMetrics(long ops, NetStats d, double secs) {
            return ops == 0 ? Map.of() : Map.of("packets_per_transaction", (double) d.rxPackets() / transactions.get());
        }
    }

    /** connect; then send a request, read the whole response, record, repeat; close when told to stop. */
    private static final class Client extends ClientFlow {
        private final Rr rr;
        private final byte[] out;
        private final byte[] in;
        private long txn;
        private int got;
        private long t0;

        Client(Rr rr) {
            super(rr);
            this.rr = rr;
            this.out = new byte[rr.req];
            this.in = new byte[rr.resp];
        }

        @Override
        void operation() {
            for (int i = 0; i < out.length; i++) {
                out[i] = requestByte(txn, i);
            }
            t0 = Lwkt.nanoTime();
            req.send(so, out, 0, out.length);
            call();
        }

        @Override
        void continued(SockReq r) {
            switch (r.op()) {
                case SockReq.SEND -> {
                    got = 0;
                    req.recv(so, in, 0, in.length);
                    call();
                }
                case SockReq.RECV -> {
                    int n = r.bytes();
                    if (n == 0) {
                        gaveUp("client " + so + ": the server closed in the middle of transaction " + txn);
                        return;
                    }
                    for (int i = got; i < got + n; i++) {
                        if (in[i] != responseByte(txn, i)) {
                            rr.badBytes.incrementAndGet();
                        }
                    }
                    got += n;
                    if (got < in.length) {
                        req.recv(so, in, got, in.length - got);
                        call();
                        return;
                    }
                    rr.recorders[app.cpu()].record(Lwkt.nanoTime() - t0);
                    rr.transactions.incrementAndGet();
                    txn++;
                    next();
                }
                default -> gaveUp("client: unexpected reply " + r);
            }
        }
    }

    /** read a whole request, answer it, repeat; close at end of stream. */
    private static final class Server extends ServerFlow {
        private final Rr rr;
        private final Socket so;
        private final byte[] in;
        private final byte[] out;
        private long txn;
        private int got;

        Server(Rr rr, Socket so) {
            super(rr);
            this.rr = rr;
            this.so = so;
            this.in = new byte[rr.req];
            this.out = new byte[rr.resp];
        }

        @Override
        protected void start() {
            got = 0;
            req.recv(so, in, 0, in.length);
            call();
        }

        @Override
        protected void replied(SockReq r) {
            if (r.error() != 0) {
                rr.failed(r);
                ended();
                return;
            }
            switch (r.op()) {
                case SockReq.RECV -> {
                    int n = r.bytes();
                    if (n == 0) {
                        if (got != 0) {
                            rr.failures.add("server " + so + ": end of stream inside a request");
                        }
                        req.close(so);
                        call();
                        return;
                    }
                    for (int i = got; i < got + n; i++) {
                        if (in[i] != requestByte(txn, i)) {
                            rr.badBytes.incrementAndGet();
                        }
                    }
                    got += n;
                    if (got < in.length) {
                        req.recv(so, in, got, in.length - got);
                        call();
                        return;
                    }
                    for (int i = 0; i < out.length; i++) {
                        out[i] = responseByte(txn, i);
                    }
                    txn++;
                    req.send(so, out, 0, out.length);
                    call();
                }
                case SockReq.SEND -> start();
                case SockReq.CLOSE -> ended();
                default -> rr.failures.add("server: unexpected reply " + r);
            }
        }
    }
}
