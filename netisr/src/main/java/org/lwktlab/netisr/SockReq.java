package org.lwktlab.netisr;

import java.util.Objects;
import org.lwktlab.lwkt.Message;

/**
 * A socket call as a message (DragonFly's {@code netmsg_pru_*}, {@code uipc_msg.c}): {@code listen},
 * {@code accept}, {@code connect}, {@code send}, {@code recv} or {@code close} on a {@link Socket},
 * handed to {@link NetStack#submit} and replied when done — at once, or later for a call that waits
 * (an {@code accept} with no connection yet, a {@code connect} until the handshake ends, a
 * {@code recv} with no data, a {@code send} until the send buffer took every byte).
 *
 * <p>The reply's {@link #error()} is 0 or an {@link SoErrno} code, with {@link #errorDetail()} saying
 * why; {@link #bytes()} is what a {@code send} queued or a {@code recv} copied (0 at end of stream);
 * {@link #accepted()} is the socket an {@code accept} returned.
 *
 * <p><b>Ownership.</b> As any message: the caller fills it while it is {@code DONE}, then does not touch
 * it (nor the buffer it names) until the reply. Reusable; a workload keeps one per connection so the
 * steady state allocates nothing. Calls on one socket are meant to come from one thread; a second
 * {@code send} (or {@code recv}) while one is still waiting is refused with {@code EALREADY}.
 *
 * <p><b>Cancelling a recv.</b> A {@code recv} {@code initAbortable}d may be cancelled with
 * {@code Lwkt.abortmsg} from any thread: still queued, it is replied {@code ABORTED} unhandled; parked
 * waiting for data, the CPU that owns it takes it back and replies it {@code ABORTED}
 * ({@code EINTR}, no bytes taken); already completed, the abort changes nothing. Exactly one reply either
 * way. Only a {@code recv} may be abortable (the others hold state while they wait or walk CPUs:
 * {@link NetStack#submit} refuses them).
 */
public final class SockReq extends Message {
    /** The calls. */
    public static final int LISTEN = 1;
    public static final int ACCEPT = 2;
    public static final int CONNECT = 3;
    public static final int SEND = 4;
    public static final int RECV = 5;
    public static final int CLOSE = 6;

    int op;
    Socket so;
    int addr;
    int port;
    byte[] buf;
    int off;
    int len;
    /** Bytes moved so far (a send or recv that waits makes progress in steps). */
    int done;
    Socket accepted;
    String detail;
    /** Internal: listen/close of a listener visiting every CPU (message design). */
    int walk;
    /** Internal: the connect was forwarded to the CPU its 4-tuple hashes to. */
    boolean migrated;
    /** Internal: link in a CPU's completion list. */
    SockReq nextq;
    /** Internal: the error it will be replied with. */
    int errno;
    /** Internal: it is replied {@code ABORTED} (a cancelled recv), not with {@link #errno}. */
    boolean abortedReply;

    /** An empty request; {@code init} it with a reply port before use. */
    public SockReq() {}

    private SockReq set(int op, Socket so) {
        this.op = op;
        this.so = Objects.requireNonNull(so, "socket");
        this.done = 0;
        this.accepted = null;
        this.detail = null;
        this.errno = 0;
        this.abortedReply = false;
        this.walk = 0;
        this.migrated = false;
        this.buf = null;
        result(0);
        return this;
    }

    /** {@code listen(so, port)}: accept connections to {@code port} of the socket's host. */
    public SockReq listen(Socket so, int port) {
        set(LISTEN, so).port = port;
        return this;
    }

    /** {@code accept(so)}: the next connection of listening socket {@code so}. */
    public SockReq accept(Socket so) {
        return set(ACCEPT, so);
    }

    /** {@code connect(so, addr, port)}: opens a connection; replied once established (or refused). */
    public SockReq connect(Socket so, int addr, int port) {
        set(CONNECT, so);
        this.addr = addr;
        this.port = port;
        return this;
    }

    /** {@code send(so, buf, off, len)}: replied when all {@code len} bytes are in the send buffer. */
    public SockReq send(Socket so, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        set(SEND, so);
        this.buf = buf;
        this.off = off;
        this.len = len;
        return this;
    }

    /** {@code recv(so, buf, off, len)}: replied with 1..len bytes, or 0 at end of stream. */
    public SockReq recv(Socket so, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        set(RECV, so);
        this.buf = buf;
        this.off = off;
        this.len = len;
        return this;
    }

    /** {@code close(so)}: replied at once; the connection finishes closing in the background. */
    public SockReq close(Socket so) {
        return set(CLOSE, so);
    }

    /** The call ({@link #LISTEN} .. {@link #CLOSE}). */
    public int op() {
        return op;
    }

    /** The socket the call is on. */
    public Socket socket() {
        return so;
    }

    /** Bytes sent or received (after the reply). */
    public int bytes() {
        return (int) result();
    }

    /** The socket {@code accept} returned (after the reply). */
    public Socket accepted() {
        return accepted;
    }

    /** Why the call failed, or null. */
    public String errorDetail() {
        return detail;
    }

    void error(int e, String why) {
        this.errno = e;
        this.detail = why;
    }

    /** {@code "send"}, {@code "recv"}, ... */
    public static String opName(int op) {
        return switch (op) {
            case LISTEN -> "listen";
            case ACCEPT -> "accept";
            case CONNECT -> "connect";
            case SEND -> "send";
            case RECV -> "recv";
            case CLOSE -> "close";
            default -> "op" + op;
        };
    }

    @Override
    public String toString() {
        return "SockReq[" + opName(op) + " " + so + ", " + flagNames(flags()) + "]";
    }
}
