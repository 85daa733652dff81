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
 * netperf's TCP_STREAM: {@code conns} connections each send as fast as the fixed window lets them, in
 * sends of {@code msg} bytes; the receivers read and check every byte (a pattern of its stream
 * offset). One operation is one send call; {@code mb_per_s} is the payload the receivers got.
 */
public final class NetisrStream extends NetisrExperiment {
    @Override
    public String name() {
        return "netisr-stream";
    }

    @Override
    public String question() {
        return "Bulk TCP throughput: what do per-CPU netisrs and ACK aggregation buy against a locked stack?";
    }

    @Override
    List<Param> ownParams() {
        return List.of(
                new Param("conns", "4", "connections, spread over the client CPUs"),
                new Param("msg", "8192", "bytes per send call"));
    }

    @Override
    Load load(Trial t, NetStack st) {
        return new Stream(t, st, t.intParam("conns", 1), t.intParam("msg", 1));
    }

    static byte patternAt(long offset) {
        return (byte) (offset ^ (offset >>> 8) ^ (offset >>> 16));
    }

    private static final class Stream extends Load {
        final int conns;
        final int msg;
        final AtomicLong badBytes = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        final AtomicLong sent = new AtomicLong();

        Stream(Trial t, NetStack st, int conns, int msg) {
            super(t, st);
            this.conns = conns;
            this.msg = msg;
        }

        @Override
        ServerFlow serve(Socket so) {
            return new Sink(this, so);
        }

        @Override
        void startClients() {
            for (int i = 0; i < conns; i++) {
                int c = i % clients.length;
                clientsRunning.incrementAndGet();
                clients[c].start(new Source(this));
            }
        }

        @Override
        public List<Check> verify() {
            List<Check> c = new java.util.ArrayList<>(super.verify());
            c.add(Check.equal("every byte arrived intact and in order", 0, badBytes.get()));
            c.add(Check.equal("the receivers got every byte the senders sent", sent.get(), received.get()));
            return c;
        }

        @Override
        Map<String, Double> extraMetrics(long ops, NetStats d, double secs) {
            double window = trial.duration().toNanos() / 1e9;
            return Map.of("mb_per_s", ops * (double) msg / window / 1e6,
                    "bytes_per_packet", d.rxPackets() == 0 ? Double.NaN : (double) received.get() / d.rxPackets());
        }
    }

    /** connect, then send {@code msg}-byte calls until told to stop; then close. */
    private static final class Source extends ClientFlow {
        private final Stream stream;
        private final byte[] buf;
        private long offset;
        private long t0;

        Source(Stream stream) {
            super(stream);
            this.stream = stream;
            this.buf = new byte[stream.msg];
        }

        @Override
        void operation() {
            for (int i = 0; i < buf.length; i++) {
                buf[i] = patternAt(offset + i);
            }
            offset += buf.length;
            t0 = Lwkt.nanoTime();
            req.send(so, buf, 0, buf.length);
            call();
        }

        @Override
        void continued(SockReq r) {
            if (r.op() != SockReq.SEND) {
                gaveUp("source: unexpected reply " + r);
                return;
            }
            stream.recorders[app.cpu()].record(Lwkt.nanoTime() - t0);
            stream.sent.addAndGet(r.bytes());
            next();
        }
    }

    /** read and check to end of stream, then close. */
    private static final class Sink extends ServerFlow {
        private final Stream stream;
        private final Socket so;
        private final byte[] buf;
        private long offset;

        Sink(Stream stream, Socket so) {
            super(stream);
            this.stream = stream;
            this.so = so;
            this.buf = new byte[Math.max(stream.msg, 8192)];
        }

        @Override
        protected void start() {
            req.recv(so, buf, 0, buf.length);
            call();
        }

        @Override
        protected void replied(SockReq r) {
            if (r.error() != 0) {
                stream.failed(r);
                ended();
                return;
            }
            if (r.op() == SockReq.CLOSE) {
                ended();
                return;
            }
            int n = r.bytes();
            if (n == 0) {
                req.close(so);
                call();
                return;
            }
            long bad = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] != patternAt(offset + i)) {
                    bad++;
                }
            }
            if (bad != 0) {
                stream.badBytes.addAndGet(bad);
            }
            offset += n;
            stream.received.addAndGet(n);
            req.recv(so, buf, 0, buf.length);
            call();
        }
    }
}
