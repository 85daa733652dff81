package org.lwktlab.vfs;

/**
 * A directory entry: a name, the inode number it names and that inode's type ({@code d_type}), and — in
 * the mutex design, where vnodes are shared — the inode itself. Immutable: a rename makes a new one, so
 * a reader holding a dirent from the name cache sees a consistent entry without a lock.
 */
final class Dirent {
    final String name;
    final long ino;
    final FileType type;
    final Inode inode;

    Dirent(String name, long ino, FileType type, Inode inode) {
        this.name = name;
        this.ino = ino;
        this.type = type;
        this.inode = inode;
    }
}
