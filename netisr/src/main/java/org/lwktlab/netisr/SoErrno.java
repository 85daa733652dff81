package org.lwktlab.netisr;

import org.lwktlab.lwkt.Errno;

/**
 * The error codes socket calls are replied with: {@link Errno}'s, plus the socket ones it lacks (POSIX
 * values, so they read as they do in a kernel).
 */
public final class SoErrno {
    private SoErrno() {}

    public static final int OK = Errno.OK;
    public static final int EBADF = Errno.EBADF;
    public static final int EINVAL = Errno.EINVAL;
    public static final int EPIPE = Errno.EPIPE;
    public static final int EINTR = Errno.EINTR;
    public static final int EALREADY = Errno.EALREADY;
    public static final int ENOTCONN = Errno.ENOTCONN;
    public static final int ESHUTDOWN = Errno.ESHUTDOWN;
    public static final int ETIMEDOUT = Errno.ETIMEDOUT;
    public static final int ECONNREFUSED = Errno.ECONNREFUSED;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ECONNABORTED = 103;
    public static final int ECONNRESET = 104;
    public static final int EISCONN = 106;
    public static final int EOPNOTSUPP = 95;

    /** The symbolic name ({@code "ECONNRESET"}). */
    public static String name(int errno) {
        return switch (errno) {
            case EADDRINUSE -> "EADDRINUSE";
            case EADDRNOTAVAIL -> "EADDRNOTAVAIL";
            case ECONNABORTED -> "ECONNABORTED";
            case ECONNRESET -> "ECONNRESET";
            case EISCONN -> "EISCONN";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            default -> Errno.name(errno);
        };
    }
}
