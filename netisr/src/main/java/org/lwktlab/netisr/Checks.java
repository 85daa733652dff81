package org.lwktlab.netisr;

import org.lwktlab.netisr.inet.Ip4Tcp;

/**
 * The argument and state checks of {@code listen}, {@code accept} and {@code connect} that both
 * designs make the same way (run by whoever owns the socket). Each returns null when the call may go
 * on, or the error: its code and a sentence naming the call, the socket, and what was wrong.
 */
final class Checks {
    private Checks() {}

    /** A refused call. */
    record Bad(int errno, String why) {}

    static Bad listen(Socket so, int port) {
        if (so.userClosed) {
            return new Bad(SoErrno.EBADF, "listen on " + so + ", which was closed with close()");
        }
        if (so.listener != null) {
            return new Bad(SoErrno.EINVAL, "listen on " + so + ", which is already listening on port " + so.listener.port);
        }
        if (so.pcb != null) {
            return new Bad(SoErrno.EISCONN, "listen on " + so + ", which is connected");
        }
        if (port < 1 || port > 65535) {
            return new Bad(SoErrno.EINVAL, "listen on port " + port + ": ports are 1..65535");
        }
        return null;
    }

    static Bad accept(Socket so) {
        if (so.userClosed) {
            return new Bad(SoErrno.EBADF, "accept on " + so + ", which was closed with close()");
        }
        if (so.listener == null) {
            return new Bad(SoErrno.EINVAL, "accept on " + so + ", which is not listening (call listen first)");
        }
        if (so.listener.closed) {
            return new Bad(SoErrno.ECONNABORTED, "accept on " + so + ", whose listener is closed");
        }
        return null;
    }

    static Bad connect(NetStack st, Socket so, int addr, int port) {
        if (so.userClosed) {
            return new Bad(SoErrno.EBADF, "connect on " + so + ", which was closed with close()");
        }
        if (so.listener != null) {
            return new Bad(SoErrno.EOPNOTSUPP, "connect on listening " + so);
        }
        if (so.pcb != null) {
            return so.pcb.state == Tcpcb.SYN_SENT
                    ? new Bad(SoErrno.EALREADY, "connect on " + so + ", which is already connecting")
                    : new Bad(SoErrno.EISCONN, "connect on " + so + ", which is already connected or was");
        }
        if (port < 1 || port > 65535) {
            return new Bad(SoErrno.EINVAL, "connect to port " + port + ": ports are 1..65535");
        }
        if (addr == so.host.addr || (addr != st.client().addr && addr != st.server().addr)) {
            return new Bad(SoErrno.EADDRNOTAVAIL, "connect from " + so.host + " to " + Ip4Tcp.addr(addr)
                    + ": the wire joins " + st.client() + " and " + st.server() + "; connect to the other host");
        }
        return null;
    }
}
