package org.lwktlab.vfs;

/** How file data moves between the user and the filesystem layers. */
public enum DataMode {
    /**
     * By reference: read and write carry an {@code Xio} (page references, offset, length); the only copy
     * is at the user edge, or none when the user consumes or fills pages directly.
     */
    XIO,
    /**
     * By copy, as UIO did across a thread boundary: the syscall layer copies between the user buffer and
     * a kernel buffer that travels in the message, and the filesystem copies between that buffer and the
     * file's pages.
     */
    COPY
}
