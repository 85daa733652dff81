package org.lwktlab.netisr;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.WaitPort;

/**
 * Blocking socket calls for threads outside the kernel (tests, examples, tools): each call is a
 * {@link SockReq} submitted to the stack and waited for — at most {@code timeout}, after which it fails
 * with a {@link NetException} naming the call instead of hanging. Workloads that measure run their load
 * inside the kernel instead (LWKT threads with a callback port), where nothing blocks.
 *
 * <p>One instance may be shared; each call uses its own request message.
 */
public final class BlockingSockets {
    private final NetStack st;
    private final long timeoutNanos;

    public BlockingSockets(NetStack st, Duration timeout) {
        this.st = Objects.requireNonNull(st, "stack");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        this.timeoutNanos = timeout.toNanos();
    }

    public Socket socket(Host host) {
        return st.socket(host);
    }

    public void listen(Socket so, int port) {
        call(new SockReq().listen(so, port));
    }

    /** The next connection of listening socket {@code so}. */
    public Socket accept(Socket so) {
        return call(new SockReq().accept(so)).accepted();
    }

    public void connect(Socket so, int addr, int port) {
        call(new SockReq().connect(so, addr, port));
    }

    /** Sends all of {@code b[off..off+len)}; returns {@code len}. */
    public int send(Socket so, byte[] b, int off, int len) {
        return call(new SockReq().send(so, b, off, len)).bytes();
    }

    /** Receives 1..len bytes; 0 at end of stream. */
    public int recv(Socket so, byte[] b, int off, int len) {
        return call(new SockReq().recv(so, b, off, len)).bytes();
    }

    /** Receives exactly {@code len} bytes (several recvs); fails if the stream ends first. */
    public void recvFully(Socket so, byte[] b, int off, int len) {
        int got = 0;
        while (got < len) {
            int n = recv(so, b, off + got, len - got);
            if (n == 0) {
                throw new NetException(SoErrno.EPIPE, "recv on " + so + ": end of stream after " + got + " of " + len + " bytes");
            }
            got += n;
        }
    }

    public void close(Socket so) {
        call(new SockReq().close(so));
    }

    /**
     * Submits {@code r} and waits for its reply.
     *
     * @throws NetException with the call's error, or {@code ETIMEDOUT} if no reply came in time
     */
    public SockReq call(SockReq r) {
        if (Lwkt.currentCpu() != null) {
            throw new IllegalStateException("BlockingSockets is for threads outside the kernel; a CPU never blocks:"
                    + " submit the SockReq with a callback port instead");
        }
        r.init(WaitPort.get());
        st.submit(r);
        long deadline = System.nanoTime() + timeoutNanos;
        long pause = 1_000;
        while (!r.isDone()) {
            if (System.nanoTime() - deadline > 0) {
                throw new NetException(SoErrno.ETIMEDOUT, SockReq.opName(r.op()) + " on " + r.socket()
                        + " got no reply within " + Duration.ofNanos(timeoutNanos).toMillis() + " ms");
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, 200_000);
        }
        if (r.error() != 0) {
            throw new NetException(r.error(), SoErrno.name(r.error()) + ": "
                    + (r.errorDetail() != null ? r.errorDetail() : SockReq.opName(r.op()) + " on " + r.socket() + " failed"));
        }
        return r;
    }
}
