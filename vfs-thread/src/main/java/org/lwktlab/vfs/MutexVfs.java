package org.lwktlab.vfs;

import static org.lwktlab.vfs.VfsError.EEXIST;
import static org.lwktlab.vfs.VfsError.EINVAL;
import static org.lwktlab.vfs.VfsError.EISDIR;
import static org.lwktlab.vfs.VfsError.ENOENT;
import static org.lwktlab.vfs.VfsError.ENOTDIR;
import static org.lwktlab.vfs.VfsError.ENOTEMPTY;
import static org.lwktlab.vfs.VfsError.OK;

import java.util.concurrent.atomic.AtomicLong;
import org.lwktlab.lwkt.lock.ProbedLock;
import org.lwktlab.lwkt.lock.Section;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * The mutex design: shared vnodes, operations on the caller's thread, locking at the granularity a
 * classic BSD/Linux VFS uses.
 * <ul>
 *   <li><b>Name-cache lock</b> ({@code ncLock}, a {@link ProbedLock} of the configured kind): guards the
 *       one shared {@link NameCache}. Always the innermost lock; never held while taking a vnode lock.</li>
 *   <li><b>Vnode locks</b> ({@link VnodeLock}, read/write): a directory's entries and a file's data and
 *       counts. A path walk holds at most one, shared, and only on a name-cache miss.</li>
 *   <li><b>Rename lock</b> ({@code renameLock}, Linux's {@code s_vfs_rename_mutex}): every rename between
 *       two directories holds it, which freezes every directory's parent, so ancestry can be checked
 *       and the two parents locked ancestor first.</li>
 * </ul>
 * Lock order, which makes it deadlock-free: rename lock, then vnode locks parent before child (two
 * unrelated parents by inode number; a replaced directory after both parents, refused as "not empty"
 * if it is an ancestor of the source), then the name-cache lock. Data is copied once, between the user
 * buffer and the file's pages, under the vnode lock.
 */
final class MutexVfs extends Vfs {
    private static final Section NC_LOOKUP = (state, arg) -> {
        SessionState st = (SessionState) state;
        st.kResult = st.vfs.nc.lookup(st.kDir, st.kPath, st.kS, st.kE);
        return 0;
    };
    private static final Section NC_ENTER = (state, arg) -> {
        SessionState st = (SessionState) state;
        st.vfs.nc.enter(st.kDir, st.kName, st.kValue);
        return 0;
    };
    private static final Section CROSS_RENAME = (state, arg) -> {
        SessionState st = (SessionState) state;
        st.vfs.crossRename(st);
        return 0;
    };
    private static final long INO_BLOCK = 1024;

    final NameCache nc;
    final ProbedLock ncLock;
    final ProbedLock renameLock;
    final Inode root;
    final Labels labels;
    private final AtomicLong inoBlocks = new AtomicLong(ROOT_INO + 1);
    /** Counters for work no session does (unmount). */
    private final VfsCounters maintenance;

    MutexVfs(PageMemory mem, ProbeRegistry probes, VfsConfig config) {
        super(config, mem, probes);
        this.labels = Labels.of("vfs", config.name(), "design", "mutex");
        this.nc = new NameCache(config.nameCacheEntries());
        this.ncLock = ProbedLock.create(config.lockKind(), "namecache", probes, labels.and("subsystem", "vfs"));
        this.renameLock = ProbedLock.create(config.lockKind(), "rename", probes, labels.and("subsystem", "vfs"));
        this.root = new Inode(ROOT_INO, FileType.DIRECTORY, ROOT_INO, null, new VnodeLock());
        root.parentInode = root;
        this.maintenance = new VfsCounters(probes, labels.and("client", "(unmount)"));
    }

    /** A session's locks, counters and scratch (the arguments of the critical sections). */
    static final class SessionState {
        final MutexVfs vfs;
        final VfsSession s;
        final ProbedLock.Handle nch;
        final ProbedLock.Handle gh;
        final VnodeLock.Probe vp;
        long nextIno;
        long inoLimit;
        long kDir;
        String kPath;
        int kS;
        int kE;
        Dirent kResult;
        String kName;
        Dirent kValue;
        VfsRequest rr;
        Inode rs;
        Inode rd;

        SessionState(MutexVfs vfs, VfsSession s) {
            this.vfs = vfs;
            this.s = s;
            this.nch = vfs.ncLock.handle();
            this.gh = vfs.renameLock.handle();
            this.vp = new VnodeLock.Probe(vfs.probes, vfs.labels.and("client", s.name));
        }
    }

    SessionState newSessionState(VfsSession s) {
        return new SessionState(this, s);
    }

    @Override
    public String design() {
        return "mutex";
    }

    @Override
    public DataMode dataMode() {
        return DataMode.COPY;
    }

    @Override
    public long liveInodes() {
        long n = 1;
        for (VfsSession s : sessions) {
            n += s.counters.inodesCreated.get() - s.counters.inodesFreed.get();
        }
        return n;
    }

    @Override
    public long heldPages() {
        return 0;
    }

    /**
     * Empties the filesystem: frees the pages of every file in the tree and of every file still open
     * without a name. Call it with no client running, before the slab's kernel shuts down.
     */
    @Override
    public void close() {
        closeSessions();
        PageContext pc = new PageContext(mem, -1, maintenance, null, false, 0);
        java.util.ArrayDeque<Inode> todo = new java.util.ArrayDeque<>();
        todo.add(root);
        while (!todo.isEmpty()) {
            Inode i = todo.poll();
            if (i.isDir()) {
                for (Dirent de : i.dir.entries.values()) {
                    todo.add(de.inode);
                }
            } else {
                i.data.freeAll(pc);
            }
        }
        for (VfsSession s : sessions) {
            for (Inode i : s.openInodes()) {
                if (!i.isDir()) {
                    i.data.freeAll(pc);
                }
            }
        }
        sessions.clear();
    }

    @Override
    void releaseXio(VfsSession s, Xio x) {
        x.markReleased();
    }

    private long allocIno(SessionState st) {
        if (st.nextIno == st.inoLimit) {
            st.nextIno = inoBlocks.getAndAdd(INO_BLOCK);
            st.inoLimit = st.nextIno + INO_BLOCK;
        }
        return st.nextIno++;
    }

    // ------------------------------------------------------------------ name cache and walk

    private Dirent lookupName(SessionState st, Inode dir, String path, int s, int e) {
        st.kDir = dir.ino;
        st.kPath = path;
        st.kS = s;
        st.kE = e;
        st.nch.locked(NC_LOOKUP, st, 0);
        Dirent de = st.kResult;
        st.kResult = null;
        st.kPath = null;
        VfsCounters c = st.s.counters;
        if (de != null) {
            if (de == NameCache.NEGATIVE) {
                c.ncNegativeHits.incrementRelease();
                return null;
            }
            c.ncHits.incrementRelease();
            return de;
        }
        c.ncMisses.incrementRelease();
        String name = path.substring(s, e);
        long stamp = dir.lock.shared(st.vp);
        try {
            if (dir.dead) {
                return null;
            }
            de = dir.dir.entries.get(name);
            ncEnter(st, dir.ino, name, de != null ? de : NameCache.NEGATIVE);
            return de;
        } finally {
            dir.lock.unlockShared(stamp);
        }
    }

    /** Updates the name cache; the caller holds the directory's vnode lock (so entries never go stale). */
    private void ncEnter(SessionState st, long dir, String name, Dirent value) {
        st.kDir = dir;
        st.kName = name;
        st.kValue = value;
        st.nch.locked(NC_ENTER, st, 0);
        st.kName = null;
        st.kValue = null;
    }

    /** Resolves {@code path} up to {@code end}; null with {@code r}'s error set if it cannot. No lock is held on return. */
    private Inode walk(SessionState st, VfsRequest r, String path, int end) {
        Inode cur = root;
        int pos = 0;
        for (;;) {
            int s = PathName.skipSlashes(path, pos);
            if (s >= end) {
                return cur;
            }
            if (!cur.isDir()) {
                r.reply(ENOTDIR, 0);
                return null;
            }
            int e = PathName.componentEnd(path, s);
            pos = e;
            if (PathName.isDot(path, s, e)) {
                continue;
            }
            if (PathName.isDotDot(path, s, e)) {
                cur = cur.parentInode;
                continue;
            }
            Dirent de = lookupName(st, cur, path, s, e);
            if (de == null) {
                r.reply(ENOENT, 0);
                return null;
            }
            cur = de.inode;
        }
    }

    private Inode walkParent(SessionState st, VfsRequest r, String path, int lastStart) {
        Inode p = walk(st, r, path, lastStart);
        if (p != null && !p.isDir()) {
            r.reply(ENOTDIR, 0);
            return null;
        }
        return p;
    }

    private void free(SessionState st, Inode i) {
        if (i.type == FileType.REGULAR) {
            i.data.freeAll(st.s.pc);
        }
        st.s.counters.inodesFreed.incrementRelease();
    }

    // ------------------------------------------------------------------ operations

    @Override
    boolean start(VfsSession s, VfsRequest r) {
        SessionState st = (SessionState) s.designState;
        long before = copied(s);
        switch (r.op) {
            case LOOKUP -> {
                Inode i = walk(st, r, r.path, r.path.length());
                if (i != null) {
                    r.reply(OK, i.ino);
                }
            }
            case GETATTR -> {
                Inode i = walk(st, r, r.path, r.path.length());
                if (i != null) {
                    long stamp = i.lock.shared(st.vp);
                    try {
                        if (i.dead) {
                            r.reply(ENOENT, 0);
                        } else {
                            r.attr.set(i);
                            r.reply(OK, i.ino);
                        }
                    } finally {
                        i.lock.unlockShared(stamp);
                    }
                }
            }
            case READDIR -> {
                Inode i = walk(st, r, r.path, r.path.length());
                if (i != null) {
                    if (!i.isDir()) {
                        r.reply(ENOTDIR, 0);
                    } else {
                        long stamp = i.lock.shared(st.vp);
                        try {
                            i.dir.list(r.cursor, r.dir);
                        } finally {
                            i.lock.unlockShared(stamp);
                        }
                        r.reply(OK, r.dir.count);
                    }
                }
            }
            case OPEN -> open(st, r);
            case CREATE, MKDIR -> create(st, r);
            case UNLINK -> unlink(st, r);
            case RMDIR -> rmdir(st, r);
            case RENAME -> rename(st, r);
            case CLOSE, READ, WRITE, TRUNCATE, FSYNC -> fdOp(st, s, r);
        }
        r.bytesCopied += copied(s) - before;
        return true;
    }

    private static long copied(VfsSession s) {
        return s.counters.copiedUser.get() + s.counters.copiedFs.get() + s.counters.copiedCow.get();
    }

    private void open(SessionState st, VfsRequest r) {
        Inode i = walk(st, r, r.path, r.path.length());
        if (i == null) {
            return;
        }
        long stamp = i.lock.exclusive(st.vp);
        try {
            if (i.dead) {
                r.reply(ENOENT, 0);
            } else if (i.isDir() && (r.flags & O_ACCMODE) != O_RDONLY) {
                r.reply(EISDIR, 0);
            } else {
                i.opens++;
                r.file = new OpenFile(i, -1, r.flags);
                r.reply(OK, 0);
            }
        } finally {
            i.lock.unlockExclusive(stamp);
        }
    }

    private void create(SessionState st, VfsRequest r) {
        Inode p = parentOfLast(st, r, EEXIST, EEXIST);
        if (p == null) {
            return;
        }
        String name = r.path.substring(r.lastStart, r.lastEnd);
        FileType t = r.op == Vop.MKDIR ? FileType.DIRECTORY : FileType.REGULAR;
        long stamp = p.lock.exclusive(st.vp);
        try {
            if (p.dead) {
                r.reply(ENOENT, 0);
                return;
            }
            if (p.dir.entries.containsKey(name)) {
                r.reply(EEXIST, 0);
                return;
            }
            Inode n = new Inode(allocIno(st), t, p.ino, p, new VnodeLock());
            setName(st, p, name, new Dirent(name, n.ino, t, n));
            st.s.counters.inodesCreated.incrementRelease();
            r.reply(OK, n.ino);
        } finally {
            p.lock.unlockExclusive(stamp);
        }
    }

    /**
     * The parent directory of {@code r.path}'s last component, or null with {@code r}'s error set — also
     * when that component is "." ({@code ifDot}) or ".." ({@code ifDotDot}).
     */
    private Inode parentOfLast(SessionState st, VfsRequest r, VfsError ifDot, VfsError ifDotDot) {
        Inode p = walkParent(st, r, r.path, r.lastStart);
        if (p != null && (PathName.isDot(r.path, r.lastStart, r.lastEnd) || PathName.isDotDot(r.path, r.lastStart, r.lastEnd))) {
            r.reply(PathName.isDot(r.path, r.lastStart, r.lastEnd) ? ifDot : ifDotDot, 0);
            return null;
        }
        return p;
    }

    /** Sets {@code name} in {@code d} (locked exclusive) to {@code de}, or removes it if null, keeping the name cache exact. */
    private void setName(SessionState st, Inode d, String name, Dirent de) {
        if (de == null) {
            d.dir.entries.remove(name);
        } else {
            d.dir.entries.put(name, de);
        }
        d.version++;
        ncEnter(st, d.ino, name, de == null ? NameCache.NEGATIVE : de);
    }

    private void unlink(SessionState st, VfsRequest r) {
        Inode p = parentOfLast(st, r, EISDIR, EISDIR);
        if (p == null) {
            return;
        }
        String name = r.path.substring(r.lastStart, r.lastEnd);
        long stamp = p.lock.exclusive(st.vp);
        try {
            Dirent de = p.dead ? null : p.dir.entries.get(name);
            if (de == null) {
                r.reply(ENOENT, 0);
                return;
            }
            if (de.type == FileType.DIRECTORY) {
                r.reply(EISDIR, 0);
                return;
            }
            setName(st, p, name, null);
            dropLink(st, de.inode);
            r.reply(OK, 0);
        } finally {
            p.lock.unlockExclusive(stamp);
        }
    }

    /** A file loses its name (its parent is locked exclusive): child lock after parent. */
    private void dropLink(SessionState st, Inode i) {
        long s = i.lock.exclusive(st.vp);
        try {
            i.nlink--;
            i.version++;
            if (i.nlink == 0 && i.opens == 0) {
                free(st, i);
            }
        } finally {
            i.lock.unlockExclusive(s);
        }
    }

    /** Removes an empty directory (its parent is locked exclusive); false if it is not empty. */
    private boolean doom(SessionState st, Inode k) {
        long s = k.lock.exclusive(st.vp);
        try {
            if (k.dir.size() != 0) {
                return false;
            }
            k.dead = true;
            k.nlink = 0;
            k.version++;
            if (k.opens == 0) {
                free(st, k);
            }
            return true;
        } finally {
            k.lock.unlockExclusive(s);
        }
    }

    private void rmdir(SessionState st, VfsRequest r) {
        Inode p = parentOfLast(st, r, EINVAL, ENOTEMPTY);
        if (p == null) {
            return;
        }
        String name = r.path.substring(r.lastStart, r.lastEnd);
        long stamp = p.lock.exclusive(st.vp);
        try {
            Dirent de = p.dead ? null : p.dir.entries.get(name);
            if (de == null) {
                r.reply(ENOENT, 0);
                return;
            }
            if (de.type != FileType.DIRECTORY) {
                r.reply(ENOTDIR, 0);
                return;
            }
            if (!doom(st, de.inode)) {
                r.reply(ENOTEMPTY, 0);
                return;
            }
            setName(st, p, name, null);
            r.reply(OK, 0);
        } finally {
            p.lock.unlockExclusive(stamp);
        }
    }

    private void rename(SessionState st, VfsRequest r) {
        Inode s = walkParent(st, r, r.path, r.lastStart);
        if (s == null) {
            return;
        }
        Inode d = walkParent(st, r, r.path2, r.lastStart2);
        if (d == null) {
            return;
        }
        if (s != d) {
            st.rr = r;
            st.rs = s;
            st.rd = d;
            try {
                st.gh.locked(CROSS_RENAME, st, 0);
            } finally {
                st.rr = null;
                st.rs = null;
                st.rd = null;
            }
            return;
        }
        String x = r.path.substring(r.lastStart, r.lastEnd);
        String y = r.path2.substring(r.lastStart2, r.lastEnd2);
        long stamp = s.lock.exclusive(st.vp);
        try {
            Dirent src = s.dead ? null : s.dir.entries.get(x);
            if (src == null) {
                r.reply(ENOENT, 0);
                return;
            }
            if (x.equals(y)) {
                r.reply(OK, 0);
                return;
            }
            commit(st, r, s, x, src, s, y);
        } finally {
            s.lock.unlockExclusive(stamp);
        }
    }

    /**
     * Under the rename lock: every directory's parent is frozen, so the parents can be locked ancestor
     * first and moving a directory into itself detected.
     */
    void crossRename(SessionState st) {
        VfsRequest r = st.rr;
        Inode s = st.rs;
        Inode d = st.rd;
        Inode first;
        Inode second;
        if (isAncestor(s, d)) {
            first = s;
            second = d;
        } else if (isAncestor(d, s)) {
            first = d;
            second = s;
        } else if (s.ino < d.ino) {
            first = s;
            second = d;
        } else {
            first = d;
            second = s;
        }
        String x = r.path.substring(r.lastStart, r.lastEnd);
        String y = r.path2.substring(r.lastStart2, r.lastEnd2);
        long s1 = first.lock.exclusive(st.vp);
        try {
            long s2 = second.lock.exclusive(st.vp);
            try {
                Dirent src = s.dead || d.dead ? null : s.dir.entries.get(x);
                if (src == null) {
                    r.reply(ENOENT, 0);
                    return;
                }
                if (src.type == FileType.DIRECTORY && (src.inode == d || isAncestor(src.inode, d))) {
                    r.reply(EINVAL, 0);
                    return;
                }
                commit(st, r, s, x, src, d, y);
            } finally {
                second.lock.unlockExclusive(s2);
            }
        } finally {
            first.lock.unlockExclusive(s1);
        }
    }

    /** True if {@code a} is a proper ancestor of {@code b}. Parents are stable while the caller holds the rename lock (or b's chain cannot change). */
    private boolean isAncestor(Inode a, Inode b) {
        for (Inode c = b; c != root; ) {
            c = c.parentInode;
            if (c == a) {
                return true;
            }
        }
        return false;
    }

    /** Both parents locked exclusive: type checks, replace, move. */
    private void commit(SessionState st, VfsRequest r, Inode s, String x, Dirent src, Inode d, String y) {
        Dirent dst = d.dir.entries.get(y);
        if (dst != null) {
            if (dst.inode == src.inode) {
                r.reply(OK, 0);
                return;
            }
            if (src.type == FileType.DIRECTORY && dst.type == FileType.REGULAR) {
                r.reply(ENOTDIR, 0);
                return;
            }
            if (src.type == FileType.REGULAR && dst.type == FileType.DIRECTORY) {
                r.reply(EISDIR, 0);
                return;
            }
            if (dst.type == FileType.DIRECTORY) {
                if (dst.inode == s || isAncestor(dst.inode, s) || !doom(st, dst.inode)) {
                    r.reply(ENOTEMPTY, 0);
                    return;
                }
            }
        }
        Inode i = src.inode;
        if (i.isDir() && s != d) {
            i.parent = d.ino;
            i.parentInode = d;
        }
        setName(st, d, y, new Dirent(y, i.ino, src.type, i));
        setName(st, s, x, null);
        if (dst != null && dst.type == FileType.REGULAR) {
            dropLink(st, dst.inode);
        }
        r.reply(OK, 0);
    }

    private void fdOp(SessionState st, VfsSession s, VfsRequest r) {
        Inode i = r.file.inode;
        PageContext pc = s.pc;
        switch (r.op) {
            case READ -> {
                long stamp = i.lock.shared(st.vp);
                try {
                    if (r.pages) {
                        int n = i.data.readable(r.offset, r.length);
                        Xio x = s.pagesFor(r, n);
                        if (x != null) {
                            i.data.readToPages(pc, r.offset, x);
                            r.reply(OK, n);
                        }
                    } else {
                        r.reply(OK, i.data.read(pc, r.offset, r.ubuf, r.uoff, r.length, false));
                    }
                } finally {
                    i.lock.unlockShared(stamp);
                }
            }
            case WRITE -> {
                long stamp = i.lock.exclusive(st.vp);
                try {
                    VfsError e = r.pages ? i.data.writeFromPages(pc, r.offset, r.xio)
                            : i.data.write(pc, r.offset, r.ubuf, r.uoff, r.length, false);
                    if (e == OK) {
                        i.version++;
                    }
                    r.reply(e, e == OK ? r.length : 0);
                } finally {
                    i.lock.unlockExclusive(stamp);
                }
            }
            default -> {
                long stamp = i.lock.exclusive(st.vp);
                try {
                    switch (r.op) {
                        case CLOSE -> {
                            i.opens--;
                            if (i.nlink == 0 && i.opens == 0) {
                                free(st, i);
                            }
                            r.reply(OK, 0);
                        }
                        case FSYNC -> r.reply(OK, i.isDir() ? 0 : i.data.fsync());
                        default -> {
                            VfsError e = i.data.truncate(pc, r.offset);
                            if (e == OK) {
                                i.version++;
                            }
                            r.reply(e, 0);
                        }
                    }
                } finally {
                    i.lock.unlockExclusive(stamp);
                }
            }
        }
    }
}
