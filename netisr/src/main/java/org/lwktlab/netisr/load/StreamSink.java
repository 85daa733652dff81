package org.lwktlab.netisr.load;

import java.util.zip.CRC32;
import org.lwktlab.netisr.SoErrno;
import org.lwktlab.netisr.SockReq;
import org.lwktlab.netisr.Socket;

/**
 * Reads an accepted connection to end of stream, digesting what arrives (length, CRC-32), then
 * closes; the digest goes to {@link Outcomes} under the peer's port.
 */
public final class StreamSink extends Flow {
    private final Socket so;
    private final byte[] buf;
    private final CRC32 crc = new CRC32();
    private final Outcomes out;
    private long got;

    public StreamSink(Socket so, int bufSize, Outcomes out) {
        this.so = so;
        this.buf = new byte[bufSize];
        this.out = out;
    }

    @Override
    protected void start() {
        req.recv(so, buf, 0, buf.length);
        call();
    }

    @Override
    protected void replied(SockReq r) {
        if (r.error() != 0) {
            out.failed(SockReq.opName(r.op()) + " on " + so + ": " + SoErrno.name(r.error()) + " " + r.errorDetail());
            return;
        }
        if (r.op() == SockReq.CLOSE) {
            out.digest(so.remotePort(), got, crc.getValue());
            out.finished();
            return;
        }
        int n = r.bytes();
        if (n == 0) {
            req.close(so);
            call();
            return;
        }
        crc.update(buf, 0, n);
        got += n;
        req.recv(so, buf, 0, buf.length);
        call();
    }
}
