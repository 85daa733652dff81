package org.lwktlab.vfs;

/**
 * Where {@link Vop#READDIR} puts a batch of entries, in name order: names, inode numbers and types.
 * Reusable (allocate one per client); {@link #cursor()} is what to pass to continue after this batch.
 * Entries added or removed while a directory is being read in batches may or may not appear (POSIX
 * leaves it unspecified); an entry that stays put appears exactly once.
 */
public final class DirBuffer {
    final String[] names;
    final long[] inos;
    final FileType[] types;
    int count;
    boolean end;

    /** A buffer for up to {@code capacity} entries per call ({@code capacity >= 1}). */
    public DirBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a DirBuffer needs capacity >= 1, got " + capacity);
        }
        names = new String[capacity];
        inos = new long[capacity];
        types = new FileType[capacity];
    }

    public int capacity() {
        return names.length;
    }

    /** Entries in this batch. */
    public int count() {
        return count;
    }

    /** True when the directory has no entries after this batch. */
    public boolean end() {
        return end;
    }

    public String name(int i) {
        check(i);
        return names[i];
    }

    public long ino(int i) {
        check(i);
        return inos[i];
    }

    public FileType type(int i) {
        check(i);
        return types[i];
    }

    /** The cursor to continue after this batch: its last name, or null if the batch is empty. */
    public String cursor() {
        return count == 0 ? null : names[count - 1];
    }

    void clear() {
        java.util.Arrays.fill(names, 0, count, null);
        count = 0;
        end = false;
    }

    boolean add(String name, long ino, FileType type) {
        if (count == names.length) {
            return false;
        }
        names[count] = name;
        inos[count] = ino;
        types[count] = type;
        count++;
        return true;
    }

    private void check(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("entry " + i + " of a batch of " + count);
        }
    }
}
