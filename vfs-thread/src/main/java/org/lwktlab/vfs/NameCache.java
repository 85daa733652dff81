package org.lwktlab.vfs;

/**
 * The name cache ({@code namecache}): (directory inode, name) → directory entry, with negative entries
 * for names known to be absent, so a path walk resolves a component with one hash probe and no string
 * allocation instead of searching the directory. Set-associative (4 ways per set, round-robin
 * replacement), so it has a fixed size and lookups allocate nothing; being a cache, an entry evicted is
 * just a miss later. Whoever changes a directory updates or removes the affected entry in the same
 * critical section (mutex design) or step (message design), so an entry is never stale.
 *
 * <p><b>Threads.</b> Message design: one per CPU, holding entries for the directories that CPU owns,
 * touched by that CPU only. Mutex design: one, under the name-cache lock.
 */
final class NameCache {
    /** The cached answer "no such name". */
    static final Dirent NEGATIVE = new Dirent("", 0, FileType.REGULAR, null);
    private static final int WAYS = 4;

    private final int setMask;
    private final long[] dirs;
    private final String[] names;
    private final Dirent[] values;
    private final byte[] hand;

    /** A cache of about {@code entries} entries (rounded up to a power of two sets of 4). */
    NameCache(int entries) {
        int sets = Integer.highestOneBit(Math.max(1, entries / WAYS - 1)) << 1;
        setMask = sets - 1;
        dirs = new long[sets * WAYS];
        names = new String[sets * WAYS];
        values = new Dirent[sets * WAYS];
        hand = new byte[sets];
    }

    private int set(long dir, int nameHash) {
        int h = Long.hashCode(dir * 0x9E3779B97F4A7C15L) ^ (nameHash * 0x85EBCA6B);
        h ^= h >>> 15;
        return h & setMask;
    }

    /** The cached entry for {@code path[s, e)} in {@code dir}: a dirent, {@link #NEGATIVE}, or null on a miss. */
    Dirent lookup(long dir, String path, int s, int e) {
        int base = set(dir, PathName.hash(path, s, e)) * WAYS;
        for (int w = base; w < base + WAYS; w++) {
            String n = names[w];
            if (n != null && dirs[w] == dir && PathName.matches(n, path, s, e)) {
                return values[w];
            }
        }
        return null;
    }

    /** Caches {@code value} (a dirent or {@link #NEGATIVE}) for {@code name} in {@code dir}, replacing any entry for it. */
    void enter(long dir, String name, Dirent value) {
        int set = set(dir, name.hashCode());
        int base = set * WAYS;
        int free = -1;
        for (int w = base; w < base + WAYS; w++) {
            String n = names[w];
            if (n == null) {
                if (free < 0) {
                    free = w;
                }
            } else if (dirs[w] == dir && n.equals(name)) {
                values[w] = value;
                return;
            }
        }
        if (free < 0) {
            free = base + (hand[set]++ & (WAYS - 1));
        }
        dirs[free] = dir;
        names[free] = name;
        values[free] = value;
    }

    /** Forgets {@code name} in {@code dir}. */
    void remove(long dir, String name) {
        int base = set(dir, name.hashCode()) * WAYS;
        for (int w = base; w < base + WAYS; w++) {
            String n = names[w];
            if (n != null && dirs[w] == dir && n.equals(name)) {
                names[w] = null;
                values[w] = null;
                return;
            }
        }
    }
}
