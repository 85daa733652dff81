package org.lwktlab.vfs;

/**
 * An inode: its number, type, link and open counts, and its contents — {@link FileData} for a regular
 * file, a {@link Directory} for a directory (whose {@code parent} is what ".." names).
 *
 * <p><b>Life.</b> Freed when it has no name ({@code nlink == 0}) and no open descriptor; a removed
 * directory is marked {@code dead} at once, so nothing can be created in it.
 *
 * <p><b>Threads.</b> Message design: the CPU its number hashes to, only. Mutex design: fields under its
 * {@link #lock} (shared to read, exclusive to change); {@code parent}/{@code parentInode} of a directory
 * change only under the rename lock as well, so a rename holding that lock reads them without the vnode
 * lock.
 */
final class Inode {
    final long ino;
    final FileType type;
    final FileData data;
    final Directory dir;
    long parent;
    volatile Inode parentInode;
    int nlink = 1;
    int opens;
    boolean dead;
    long version;
    /** The vnode lock (mutex design); null in the message design. */
    final VnodeLock lock;

    Inode(long ino, FileType type, long parent, Inode parentInode, VnodeLock lock) {
        this.ino = ino;
        this.type = type;
        this.parent = parent;
        this.parentInode = parentInode;
        this.lock = lock;
        if (type == FileType.REGULAR) {
            data = new FileData();
            dir = null;
        } else {
            data = null;
            dir = new Directory();
        }
    }

    boolean isDir() {
        return type == FileType.DIRECTORY;
    }
}
