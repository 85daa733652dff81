package org.lwktlab.lwkt;

/**
 * Error codes a message is replied with ({@code ms_error}). POSIX values where POSIX has one, so a
 * kernel engineer reads them at a glance; {@code 0} is success.
 */
public final class Errno {
    /** Success. */
    public static final int OK = 0;
    /** No such entry (file, message on the queue). */
    public static final int ENOENT = 2;
    /** Interrupted: the reply to an aborted message. */
    public static final int EINTR = 4;
    /** Bad descriptor (closed or unknown handle). */
    public static final int EBADF = 9;
    /** Try again: no data or no room now. */
    public static final int EAGAIN = 11;
    /** Already exists. */
    public static final int EEXIST = 17;
    /** Not a directory. */
    public static final int ENOTDIR = 20;
    /** Is a directory. */
    public static final int EISDIR = 21;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** No space left. */
    public static final int ENOSPC = 28;
    /** Peer closed: write on a closed connection. */
    public static final int EPIPE = 32;
    /** Name too long. */
    public static final int ENAMETOOLONG = 36;
    /** Directory not empty. */
    public static final int ENOTEMPTY = 39;
    /** Not connected. */
    public static final int ENOTCONN = 107;
    /** The kernel shut down before the request was served. */
    public static final int ESHUTDOWN = 108;
    /** Timed out. */
    public static final int ETIMEDOUT = 110;
    /** Connection refused: no listener. */
    public static final int ECONNREFUSED = 111;
    /** Already in progress. */
    public static final int EALREADY = 114;
    /** Not POSIX: the handler threw; the exception is on {@link Message#exception()}. */
    public static final int EHANDLER = 1000;

    private Errno() {}

    /** The symbolic name of {@code errno} ({@code "EINTR"}), or {@code "E<n>"}. */
    public static String name(int errno) {
        return switch (errno) {
            case OK -> "OK";
            case ENOENT -> "ENOENT";
            case EINTR -> "EINTR";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case EEXIST -> "EEXIST";
            case ENOTDIR -> "ENOTDIR";
            case EISDIR -> "EISDIR";
            case EINVAL -> "EINVAL";
            case ENOSPC -> "ENOSPC";
            case EPIPE -> "EPIPE";
            case ENAMETOOLONG -> "ENAMETOOLONG";
            case ENOTEMPTY -> "ENOTEMPTY";
            case ENOTCONN -> "ENOTCONN";
            case ESHUTDOWN -> "ESHUTDOWN";
            case ETIMEDOUT -> "ETIMEDOUT";
            case ECONNREFUSED -> "ECONNREFUSED";
            case EALREADY -> "EALREADY";
            case EHANDLER -> "EHANDLER";
            default -> "E" + errno;
        };
    }
}
