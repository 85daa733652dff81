package org.lwktlab.vfs;

/**
 * An inode's attributes ({@code struct stat}), filled by {@link Vop#GETATTR}. Reused: a session owns
 * one per request, so asking allocates nothing; copy the fields out before the next request.
 */
public final class Attr {
    long ino;
    FileType type;
    long size;
    int nlink;
    long pages;
    long version;
    int opens;

    /** The inode number. */
    public long ino() {
        return ino;
    }

    public FileType type() {
        return type;
    }

    /** Length in bytes (0 for directories). */
    public long size() {
        return size;
    }

    /**
     * Directory entries naming the inode: 1 while it has a name, 0 once unlinked but still open. (There
     * are no hard links, and "." and ".." are not counted.)
     */
    public int nlink() {
        return nlink;
    }

    /** 4 KiB pages holding the file's data (holes hold none); entries for a directory. */
    public long pages() {
        return pages;
    }

    /** Changes so far (a logical modification time: bumped by every write, truncate and entry change). */
    public long version() {
        return version;
    }

    /** Descriptors open on it now. */
    public int opens() {
        return opens;
    }

    void set(Inode i) {
        ino = i.ino;
        type = i.type;
        nlink = i.nlink;
        version = i.version;
        opens = i.opens;
        if (i.type == FileType.REGULAR) {
            size = i.data.size;
            pages = i.data.residentPages();
        } else {
            size = 0;
            pages = i.dir.size();
        }
    }

    @Override
    public String toString() {
        return "Attr[ino " + ino + ", " + type + ", size " + size + ", nlink " + nlink + ", pages " + pages
                + ", version " + version + ", opens " + opens + "]";
    }
}
