package org.lwktlab.vfs;

/**
 * The vnode operations ({@code VOP_*}) a {@link Vfs} serves. Each is one request; in the message
 * design each becomes a message to the CPU owning the vnode, in the mutex design a call under locks.
 */
public enum Vop {
    /** Resolve a path to its inode number. */
    LOOKUP,
    /** Create an empty regular file; {@link VfsError#EEXIST} if the name exists. */
    CREATE,
    /** Create an empty directory. */
    MKDIR,
    /** Open an existing file or directory; yields a descriptor. */
    OPEN,
    /** Close a descriptor. */
    CLOSE,
    /** Read bytes at an offset. */
    READ,
    /** Write bytes at an offset. */
    WRITE,
    /** Set a file's length (through a descriptor open for writing). */
    TRUNCATE,
    /** An inode's attributes, by path. */
    GETATTR,
    /** A batch of a directory's entries, in name order, after a cursor. */
    READDIR,
    /** Remove a regular file's name. */
    UNLINK,
    /** Remove an empty directory. */
    RMDIR,
    /** Move a name, atomically, possibly between directories. */
    RENAME,
    /** Write a file's dirty pages back (here: count and clean them). */
    FSYNC;

    private static final Vop[] VALUES = values();

    /** All operations, in declaration order (a shared array: do not modify). */
    static Vop[] all() {
        return VALUES;
    }

    /** The lower-case name used in probe labels and reports ({@code getattr}). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
