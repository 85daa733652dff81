package org.lwktlab.vfs;

import org.lwktlab.lwkt.Errno;

/**
 * The outcome of a VFS operation: {@link #OK} or a POSIX error, with its POSIX number (the same values
 * as {@link Errno}, so a reply's {@code ms_error} reads the same) and its meaning as the VFS uses it.
 * Every operation reports bad input through one of these; none throws to its caller.
 */
public enum VfsError {
    /** Success. */
    OK(0, "success"),
    /** A path component, or the file itself, does not exist (also: an empty path). */
    ENOENT(Errno.ENOENT, "no such file or directory"),
    /** The descriptor is not open, or not open for the access asked for. */
    EBADF(Errno.EBADF, "bad file descriptor"),
    /** The name already exists. */
    EEXIST(Errno.EEXIST, "file exists"),
    /** A component used as a directory is not one, or a directory was asked to replace a file. */
    ENOTDIR(Errno.ENOTDIR, "not a directory"),
    /** A directory was used where a regular file is needed (read, write, unlink, open for writing). */
    EISDIR(Errno.EISDIR, "is a directory"),
    /** A bad argument: NUL byte or relative path, negative offset or length, unknown flags, moving a
     *  directory into itself, removing "." or the root. */
    EINVAL(Errno.EINVAL, "invalid argument"),
    /** No page memory left for file data. */
    ENOSPC(Errno.ENOSPC, "no space left on device"),
    /** A name longer than {@link PathName#NAME_MAX} bytes or a path longer than {@link PathName#PATH_MAX}. */
    ENAMETOOLONG(Errno.ENAMETOOLONG, "file name too long"),
    /** A directory to remove or replace still has entries. */
    ENOTEMPTY(Errno.ENOTEMPTY, "directory not empty"),
    /** The request was cancelled ({@code abortmsg}, {@link VfsSession#cancel}) before it completed: a read
     *  replied {@code ABORTED}, with no data and nothing left held. */
    EINTR(Errno.EINTR, "interrupted: the request was cancelled"),
    /** The operation could not complete inside the filesystem (the kernel shut down under it, or a
     *  handler failed); the filesystem itself is unchanged by the failed step. */
    EIO(5, "input/output error");

    private static final VfsError[] BY_CODE = new VfsError[64];

    static {
        for (VfsError e : values()) {
            BY_CODE[e.code] = e;
        }
    }

    private final int code;
    private final String meaning;

    VfsError(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The POSIX error number (0 for {@link #OK}). */
    public int code() {
        return code;
    }

    /** What the error means, in words. */
    public String meaning() {
        return meaning;
    }

    /** True for {@link #OK}. */
    public boolean ok() {
        return this == OK;
    }

    /** The error with POSIX number {@code code}; any number this VFS does not produce maps to {@link #EIO}. */
    public static VfsError of(int code) {
        VfsError e = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        return e == null ? EIO : e;
    }

    /**
     * The error of a value-returning call's result: {@link #OK} for a result {@code >= 0}, else the error
     * whose number is {@code -result}.
     */
    public static VfsError ofResult(long result) {
        return result >= 0 ? OK : of((int) -result);
    }
}
