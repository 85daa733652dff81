package org.lwktlab.vfs;

/**
 * An open file ({@code struct file}): the inode, the CPU that owns it, the access mode and type. Made by
 * {@link Vop#OPEN} and kept in the session's descriptor table.
 *
 * <p><b>Threads.</b> The final fields are read by the session's thread; {@link #inode} is dereferenced
 * only by the inode's owner (message design) or under its vnode lock (mutex design) — a session passes it
 * back in requests without touching it. The inode cannot be freed while this is open.
 */
final class OpenFile {
    final Inode inode;
    final int ownerCpu;
    final int flags;
    final FileType type;

    OpenFile(Inode inode, int ownerCpu, int flags) {
        this.inode = inode;
        this.ownerCpu = ownerCpu;
        this.flags = flags;
        this.type = inode.type;
    }

    boolean readable() {
        int m = flags & Vfs.O_ACCMODE;
        return m == Vfs.O_RDONLY || m == Vfs.O_RDWR;
    }

    boolean writable() {
        int m = flags & Vfs.O_ACCMODE;
        return m == Vfs.O_WRONLY || m == Vfs.O_RDWR;
    }
}
