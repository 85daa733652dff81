package org.lwktlab.vfs;

import java.util.TreeMap;

/**
 * A directory's entries, sorted by name (so {@link Vop#READDIR} resumes after a name), plus — in the
 * message design — the names locked by protocols in progress and the requests waiting for the directory
 * to have no locks at all.
 *
 * <p><b>Threads.</b> Whoever owns the inode: its CPU (message design) or a thread holding its vnode lock
 * (mutex design; the lock fields are then unused).
 */
final class Directory {
    final TreeMap<String, Dirent> entries = new TreeMap<>();
    private NameLock locks;
    int lockCount;
    /** Requests (an rmdir, a rename replacing this directory) waiting for {@link #lockCount} to reach 0. */
    VfsRequest clearWaiters;

    /** Fills {@code out} with the entries after {@code cursor} (all if null), in name order. */
    void list(String cursor, DirBuffer out) {
        out.clear();
        var it = (cursor == null ? entries : entries.tailMap(cursor, false)).values().iterator();
        while (it.hasNext()) {
            Dirent de = it.next();
            if (!out.add(de.name, de.ino, de.type)) {
                return;
            }
        }
        out.end = true;
    }

    /** Shutdown: replies every request still parked on this directory's locks. */
    void abandonWaiters(VnodeServer s) {
        for (NameLock l = locks; l != null; l = l.next) {
            VfsRequest w = l.waiters;
            l.waiters = null;
            abandonAll(s, w);
        }
        VfsRequest w = clearWaiters;
        clearWaiters = null;
        abandonAll(s, w);
    }

    private static void abandonAll(VnodeServer s, VfsRequest w) {
        while (w != null) {
            VfsRequest n = w.parkNext;
            w.parkNext = null;
            s.abandon(w);
            w = n;
        }
    }

    int size() {
        return entries.size();
    }

    /** The lock on {@code path[s, e)}, or null. */
    NameLock findLock(String path, int s, int e) {
        for (NameLock l = locks; l != null; l = l.next) {
            if (PathName.matches(l.name, path, s, e)) {
                return l;
            }
        }
        return null;
    }

    NameLock lock(String name, VfsRequest holder) {
        NameLock l = new NameLock(name, holder);
        l.next = locks;
        locks = l;
        lockCount++;
        return l;
    }

    /** Removes {@code l}; its waiters are the caller's to run again. */
    void unlock(NameLock l) {
        NameLock prev = null;
        for (NameLock c = locks; c != null; prev = c, c = c.next) {
            if (c == l) {
                if (prev == null) {
                    locks = c.next;
                } else {
                    prev.next = c.next;
                }
                lockCount--;
                return;
            }
        }
        throw new IllegalStateException("name lock '" + l.name + "' is not held on this directory");
    }
}
