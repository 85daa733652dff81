package org.lwktlab.netisr.load;

import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.lwktlab.netisr.Host;
import org.lwktlab.netisr.SoErrno;
import org.lwktlab.netisr.SockReq;
import org.lwktlab.netisr.Socket;

/**
 * Connects, sends {@code total} pseudo-random bytes (from {@code seed}) in sends of up to
 * {@code chunk} bytes, and closes; its digest (length, CRC-32) goes to {@link Outcomes} under its local
 * port, for the receiving {@link StreamSink}'s digest to be compared with.
 */
public final class StreamSender extends Flow {
    private final Host host;
    private final int addr;
    private final int port;
    private final long total;
    private final byte[] buf;
    private final SplittableRandom rnd;
    private final CRC32 crc = new CRC32();
    private final Outcomes out;
    private Socket so;
    private long sent;

    public StreamSender(Host host, int addr, int port, long total, int chunk, long seed, Outcomes out) {
        this.host = host;
        this.addr = addr;
        this.port = port;
        this.total = total;
        this.buf = new byte[chunk];
        this.rnd = new SplittableRandom(seed);
        this.out = out;
    }

    @Override
    protected void start() {
        so = stack().socket(host);
        req.connect(so, addr, port);
        call();
    }

    @Override
    protected void replied(SockReq r) {
        if (r.error() != 0) {
            out.failed(SockReq.opName(r.op()) + " on " + so + ": " + SoErrno.name(r.error()) + " " + r.errorDetail());
            return;
        }
        switch (r.op()) {
            case SockReq.CONNECT -> next();
            case SockReq.SEND -> {
                sent += r.bytes();
                next();
            }
            case SockReq.CLOSE -> {
                out.digest(so.localPort(), sent, crc.getValue());
                out.finished();
            }
            default -> out.failed("unexpected reply " + r);
        }
    }

    private void next() {
        if (sent == total) {
            req.close(so);
            call();
            return;
        }
        int n = (int) Math.min(buf.length, total - sent);
        for (int i = 0; i < n; i++) {
            buf[i] = (byte) rnd.nextInt();
        }
        crc.update(buf, 0, n);
        req.send(so, buf, 0, n);
        call();
    }
}
