package org.lwktlab.netisr;

/**
 * A socket call that failed, as {@link BlockingSockets} reports it: the call, the socket, the error
 * code and why.
 */
public final class NetException extends RuntimeException {
    private final int errno;

    public NetException(int errno, String message) {
        super(message);
        this.errno = errno;
    }

    /** The error code ({@link SoErrno}). */
    public int errno() {
        return errno;
    }
}
