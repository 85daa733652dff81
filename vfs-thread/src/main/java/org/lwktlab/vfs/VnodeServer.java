package org.lwktlab.vfs;

import static org.lwktlab.vfs.VfsError.EEXIST;
import static org.lwktlab.vfs.VfsError.EINVAL;
import static org.lwktlab.vfs.VfsError.EISDIR;
import static org.lwktlab.vfs.VfsError.ENOENT;
import static org.lwktlab.vfs.VfsError.ENOTDIR;
import static org.lwktlab.vfs.VfsError.ENOTEMPTY;
import static org.lwktlab.vfs.VfsError.OK;

import java.util.function.Consumer;
import org.agrona.collections.Long2ObjectHashMap;
import org.lwktlab.lwkt.Cpu;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.MessageHandler;
import org.lwktlab.lwkt.ShutdownHook;
import org.lwktlab.lwkt.ShutdownParticipant;
import org.lwktlab.lwkt.ShutdownReport;
import org.lwktlab.lwkt.StepHook;

/**
 * One CPU's vnode server in the message design: the LWKT thread whose port is the VOP port for every
 * vnode whose inode number hashes to this CPU. It owns those inodes, the name-cache entries and name
 * locks of the directories among them, the CPU's sf_buf cache and page holds, and (on CPU 0) the rename
 * lock. Nothing it owns is touched by another CPU, so none of it is locked or atomic.
 *
 * <p><b>How a request moves.</b> A request is a state machine ({@link VfsRequest#phase}); each step runs
 * on the CPU owning what it touches, then the request is forwarded to the next owner (or the step runs
 * at once if that is this CPU), and finally replied from wherever it ends. The protocols:
 * <ul>
 *   <li><b>Walk:</b> resolve a component in a directory this CPU owns (name cache, then the directory),
 *       forward to the child's owner, repeat. A walk never holds anything; it parks on a locked name.</li>
 *   <li><b>Create/mkdir:</b> lock the name in the parent (owner P), make the inode on its owner (I), come
 *       back to P to enter the name and unlock — so a name never refers to an inode not yet made.</li>
 *   <li><b>Unlink:</b> remove the name at P, then drop the link at I's owner (FIFO from P to I keeps any
 *       earlier walk through that name ahead of it).</li>
 *   <li><b>Rmdir:</b> lock the name at P, check emptiness and doom the directory at its owner, remove the
 *       name at P. If the directory has names locked, let go of everything and wait, holding nothing,
 *       for it to have none; then start again.</li>
 *   <li><b>Rename:</b> see {@code docs/vfs.md}: walk both parents; moving a directory to another parent
 *       takes the global rename lock and checks ancestry; lock the two names in global order; check types;
 *       doom a replaced directory; set a moved directory's parent; enter the new name, remove the old,
 *       unlock; drop a replaced file's link; release the rename lock.</li>
 *   <li><b>Read:</b> at the file's owner, in pieces of {@link VfsConfig#readPiecePages} pages, re-queued on
 *       this port between pieces; each piece starts at a safe point where an abort stops the read, drops
 *       the page holds its XIO has, and replies {@code ABORTED}.</li>
 * </ul>
 *
 * <p><b>Threads.</b> Everything here runs on this server's CPU: handler steps, the end-of-step hook that
 * processes XIO releases (queued by a passive IPI's function), the shutdown hook.
 */
final class VnodeServer implements MessageHandler, StepHook, ShutdownHook, ShutdownParticipant {
    static final int P_WALK = 1;
    static final int P_NEWVNODE = 2;
    static final int P_CREATE_COMMIT = 3;
    static final int P_UNREF = 4;
    static final int P_RMDIR_CHECK = 5;
    static final int P_RMDIR_COMMIT = 6;
    static final int P_UNLOCK = 7;
    static final int P_WAIT_CLEAR = 8;
    static final int P_FD = 9;
    static final int P_REN_PEEK = 10;
    static final int P_REN_G = 11;
    static final int P_REN_ANCESTRY = 12;
    static final int P_REN_LOCK = 13;
    static final int P_REN_DOOM = 14;
    static final int P_REN_SETPARENT = 15;
    static final int P_REN_COMMIT_D = 16;
    static final int P_REN_COMMIT_S = 17;
    static final int P_G_RELEASE = 18;
    static final int P_READ_PIECE = 19;

    private static final int AFTER_FINISH = 0;
    private static final int AFTER_WAIT = 1;
    private static final int AFTER_REPEEK = 2;

    final MessageVfs vfs;
    final int cpu;
    final LwktThread td;
    final Long2ObjectHashMap<Inode> inodes = new Long2ObjectHashMap<>();
    private final NameCache nc;
    final PageContext pc;
    final VfsCounters ctr;
    private long seq;
    private VfsRequest gHolder;
    private VfsRequest gHead;
    private VfsRequest gTail;
    private Xio releases;

    VnodeServer(MessageVfs vfs, int cpu, long zeroPage) {
        this.vfs = vfs;
        this.cpu = cpu;
        this.ctr = new VfsCounters(vfs.probes, vfs.labels.and("cpu", Integer.toString(cpu)));
        this.nc = new NameCache(vfs.config.nameCacheEntries());
        this.pc = new PageContext(vfs.mem, cpu,
                ctr, new SfBufCache(cpu, vfs.ncpus, vfs.config.sfbufSlots(), ctr), true, zeroPage);
        this.td = LwktThread.builder("vfs-vnode-" + cpu).priority(LwktThread.PRI_KERNEL)
                .labels(vfs.labels.and("subsystem", "vfs")).handler(this).onShutdown(this)
                .spawn(vfs.kernel, cpu);
    }

    /** A fresh inode number: this CPU's residue class, so CPUs never collide and never share a counter. */
    private long allocIno() {
        return Vfs.ROOT_INO + 1 + cpu + (long) vfs.ncpus * seq++;
    }

    // ------------------------------------------------------------------ dispatch

    @Override
    public void handle(Message m) {
        step((VfsRequest) m);
    }

    void step(VfsRequest r) {
        switch (r.phase) {
            case P_WALK -> walk(r);
            case P_NEWVNODE -> newVnode(r);
            case P_CREATE_COMMIT -> createCommit(r);
            case P_UNREF -> unref(r);
            case P_RMDIR_CHECK -> rmdirCheck(r);
            case P_RMDIR_COMMIT -> rmdirCommit(r);
            case P_UNLOCK -> unlockStep(r);
            case P_WAIT_CLEAR -> waitClear(r);
            case P_FD -> fdOp(r);
            case P_REN_PEEK -> renamePeek(r);
            case P_REN_G -> renameTakeG(r);
            case P_REN_ANCESTRY -> renameAncestry(r);
            case P_REN_LOCK -> renameLock(r);
            case P_REN_DOOM -> renameDoom(r);
            case P_REN_SETPARENT -> renameSetParent(r);
            case P_REN_COMMIT_D -> renameCommitDst(r);
            case P_REN_COMMIT_S -> renameCommitSrc(r);
            case P_G_RELEASE -> releaseG(r);
            case P_READ_PIECE -> readPiece(r);
            default -> throw new IllegalStateException("vnode server on cpu " + cpu + ": " + r + " has unknown phase " + r.phase);
        }
    }

    /** Runs phase {@code phase} of {@code r} on CPU {@code to}: here and now, or forwarded there. */
    private void go(VfsRequest r, int to, int phase) {
        r.phase = phase;
        if (to == cpu) {
            step(r);
            return;
        }
        ctr.walkHops.incrementRelease();
        Lwkt.forwardmsg(vfs.servers[to].td.port(), r);
    }

    private void finish(VfsRequest r, VfsError e, long value) {
        r.reply(e, value);
        ctr.vop(r.op, e);
        Lwkt.replymsg(r, e == OK ? 0 : e.code());
    }

    private Inode dirInode(long ino) {
        return inodes.get(ino);
    }

    /** Resolves {@code path[s, e)} in directory {@code d} (owned here): name cache, then the directory. */
    private Dirent lookupName(Inode d, String path, int s, int e) {
        Dirent de = nc.lookup(d.ino, path, s, e);
        if (de != null) {
            if (de == NameCache.NEGATIVE) {
                ctr.ncNegativeHits.incrementRelease();
                return null;
            }
            ctr.ncHits.incrementRelease();
            return de;
        }
        ctr.ncMisses.incrementRelease();
        String name = path.substring(s, e);
        de = d.dir.entries.get(name);
        nc.enter(d.ino, name, de != null ? de : NameCache.NEGATIVE);
        return de;
    }

    /** The lock on {@code path[s, e)} in {@code d} if another request holds one. */
    private static NameLock lockedByOther(Inode d, String path, int s, int e, VfsRequest r) {
        if (d.dir.lockCount == 0) {
            return null;
        }
        NameLock l = d.dir.findLock(path, s, e);
        return l != null && l.holder != r ? l : null;
    }

    private void park(VfsRequest r, NameLock l) {
        r.parkNext = null;
        if (l.waiters == null) {
            l.waiters = r;
        } else {
            VfsRequest t = l.waiters;
            while (t.parkNext != null) {
                t = t.parkNext;
            }
            t.parkNext = r;
        }
        ctr.nameLockWaits.incrementRelease();
    }

    private static void addLock(VfsRequest r, long dir, NameLock l) {
        r.lockDir[r.nlocks] = dir;
        r.lockRef[r.nlocks] = l;
        r.nlocks++;
    }

    /** Unlocks {@code l} in {@code d} and sends every request waiting for it (or for {@code d} to be free of locks) round again. */
    private void releaseLock(Inode d, NameLock l) {
        d.dir.unlock(l);
        requeue(l.waiters);
        l.waiters = null;
        if (d.dir.lockCount == 0 && d.dir.clearWaiters != null) {
            VfsRequest w = d.dir.clearWaiters;
            d.dir.clearWaiters = null;
            requeue(w);
        }
    }

    private void requeue(VfsRequest w) {
        while (w != null) {
            VfsRequest n = w.parkNext;
            w.parkNext = null;
            Lwkt.forwardmsg(td.port(), w);
            w = n;
        }
    }

    private void freeInode(Inode i) {
        if (i.type == FileType.REGULAR) {
            i.data.freeAll(pc);
        }
        inodes.remove(i.ino);
        ctr.inodesFreed.incrementRelease();
    }

    // ------------------------------------------------------------------ walk

    private void walk(VfsRequest r) {
        Inode cur = inodes.get(r.cur);
        if (cur == null || cur.dead) {
            finish(r, ENOENT, 0);
            return;
        }
        final String path = r.walkPath;
        for (;;) {
            int s = PathName.skipSlashes(path, r.pos);
            if (s >= r.walkEnd) {
                r.pos = s;
                walkDone(r, cur);
                return;
            }
            if (!cur.isDir()) {
                finish(r, ENOTDIR, 0);
                return;
            }
            int e = PathName.componentEnd(path, s);
            long next;
            if (PathName.isDot(path, s, e)) {
                r.pos = e;
                continue;
            }
            if (PathName.isDotDot(path, s, e)) {
                next = cur.parent;
            } else {
                NameLock l = lockedByOther(cur, path, s, e, r);
                if (l != null) {
                    park(r, l);
                    return;
                }
                Dirent de = lookupName(cur, path, s, e);
                if (de == null) {
                    finish(r, ENOENT, 0);
                    return;
                }
                next = de.ino;
                if (r.op == Vop.LOOKUP && PathName.skipSlashes(path, e) >= r.walkEnd) {
                    finish(r, OK, next);
                    return;
                }
            }
            r.pos = e;
            r.cur = next;
            int o = vfs.owner(next);
            if (o != cpu) {
                go(r, o, P_WALK);
                return;
            }
            cur = inodes.get(next);
            if (cur == null || cur.dead) {
                finish(r, ENOENT, 0);
                return;
            }
        }
    }

    private void walkDone(VfsRequest r, Inode cur) {
        switch (r.op) {
            case LOOKUP -> finish(r, OK, cur.ino);
            case GETATTR -> {
                r.attr.set(cur);
                finish(r, OK, cur.ino);
            }
            case OPEN -> {
                if ((r.flags & Vfs.O_ACCMODE) != Vfs.O_RDONLY && cur.isDir()) {
                    finish(r, EISDIR, 0);
                    return;
                }
                cur.opens++;
                r.file = new OpenFile(cur, cpu, r.flags);
                finish(r, OK, 0);
            }
            case READDIR -> {
                if (!cur.isDir()) {
                    finish(r, ENOTDIR, 0);
                    return;
                }
                cur.dir.list(r.cursor, r.dir);
                finish(r, OK, r.dir.count);
            }
            case CREATE, MKDIR, UNLINK, RMDIR, RENAME -> {
                if (!cur.isDir()) {
                    finish(r, ENOTDIR, 0);
                    return;
                }
                switch (r.op) {
                    case CREATE, MKDIR -> create(r, cur);
                    case UNLINK -> unlink(r, cur);
                    case RMDIR -> rmdir(r, cur);
                    default -> renameWalked(r, cur);
                }
            }
            default -> throw new IllegalStateException("walk ended for " + r);
        }
    }

    // ------------------------------------------------------------------ create, unlink, rmdir

    /** {@link #lastName}'s answer when it already finished or parked the request. */
    private static final Dirent HANDLED = new Dirent("", 0, FileType.REGULAR, null);

    /**
     * The entry the last component of {@code r.path} names in {@code p} (null if none), once no other
     * request holds that name; {@link #HANDLED} if it finished the request ("." or "..": {@code ifDot},
     * {@code ifDotDot}) or parked it on the name's lock.
     */
    private Dirent lastName(VfsRequest r, Inode p, VfsError ifDot, VfsError ifDotDot) {
        String path = r.path;
        int s = r.lastStart;
        int e = r.lastEnd;
        if (PathName.isDot(path, s, e) || PathName.isDotDot(path, s, e)) {
            finish(r, PathName.isDot(path, s, e) ? ifDot : ifDotDot, 0);
            return HANDLED;
        }
        NameLock l = lockedByOther(p, path, s, e, r);
        if (l != null) {
            park(r, l);
            return HANDLED;
        }
        return lookupName(p, path, s, e);
    }

    /** Enters {@code de} under {@code name} in directory {@code d}, or removes the name if {@code de} is null. */
    private void setName(Inode d, String name, Dirent de) {
        if (de == null) {
            d.dir.entries.remove(name);
            nc.enter(d.ino, name, NameCache.NEGATIVE);
        } else {
            d.dir.entries.put(name, de);
            nc.enter(d.ino, name, de);
        }
        d.version++;
    }

    /** Forgets the request's last-taken name lock and returns it (the caller releases it where it is). */
    private static NameLock dropLastLock(VfsRequest r) {
        int k = --r.nlocks;
        NameLock l = r.lockRef[k];
        r.lockRef[k] = null;
        return l;
    }

    private void create(VfsRequest r, Inode p) {
        Dirent de = lastName(r, p, EEXIST, EEXIST);
        if (de == HANDLED) {
            return;
        }
        if (de != null) {
            finish(r, EEXIST, 0);
            return;
        }
        addLock(r, p.ino, p.dir.lock(r.path.substring(r.lastStart, r.lastEnd), r));
        r.parentIno = p.ino;
        r.newIno = allocIno();
        go(r, vfs.owner(r.newIno), P_NEWVNODE);
    }

    private void newVnode(VfsRequest r) {
        FileType t = r.op == Vop.MKDIR ? FileType.DIRECTORY : FileType.REGULAR;
        inodes.put(r.newIno, new Inode(r.newIno, t, r.parentIno, null, null));
        ctr.inodesCreated.incrementRelease();
        go(r, vfs.owner(r.parentIno), P_CREATE_COMMIT);
    }

    private void createCommit(VfsRequest r) {
        Inode p = dirInode(r.parentIno);
        NameLock l = dropLastLock(r);
        setName(p, l.name, new Dirent(l.name, r.newIno, r.op == Vop.MKDIR ? FileType.DIRECTORY : FileType.REGULAR, null));
        releaseLock(p, l);
        finish(r, OK, r.newIno);
    }

    private void unlink(VfsRequest r, Inode p) {
        Dirent de = lastName(r, p, EISDIR, EISDIR);
        if (de == HANDLED) {
            return;
        }
        if (de == null) {
            finish(r, ENOENT, 0);
            return;
        }
        if (de.type == FileType.DIRECTORY) {
            finish(r, EISDIR, 0);
            return;
        }
        setName(p, de.name, null);
        r.targetIno = de.ino;
        go(r, vfs.owner(de.ino), P_UNREF);
    }

    private void unref(VfsRequest r) {
        Inode i = inodes.get(r.targetIno);
        if (i != null) {
            i.nlink--;
            i.version++;
            if (i.nlink == 0 && i.opens == 0) {
                freeInode(i);
            }
        }
        if (r.op == Vop.RENAME) {
            renameDone(r);
        } else {
            finish(r, OK, 0);
        }
    }

    private void rmdir(VfsRequest r, Inode p) {
        Dirent de = lastName(r, p, EINVAL, ENOTEMPTY);
        if (de == HANDLED) {
            return;
        }
        if (de == null) {
            finish(r, ENOENT, 0);
            return;
        }
        if (de.type != FileType.DIRECTORY) {
            finish(r, ENOTDIR, 0);
            return;
        }
        addLock(r, p.ino, p.dir.lock(de.name, r));
        r.parentIno = p.ino;
        r.targetIno = de.ino;
        go(r, vfs.owner(de.ino), P_RMDIR_CHECK);
    }

    private void rmdirCheck(VfsRequest r) {
        Inode k = inodes.get(r.targetIno);
        if (k.dir.size() != 0) {
            unwind(r, ENOTEMPTY, AFTER_FINISH);
            return;
        }
        if (k.dir.lockCount != 0) {
            r.waitIno = k.ino;
            unwind(r, null, AFTER_WAIT);
            return;
        }
        doom(k);
        go(r, vfs.owner(r.parentIno), P_RMDIR_COMMIT);
    }

    /** A directory leaves the namespace: nothing more can be created in it; freed once nobody has it open. */
    private void doom(Inode k) {
        k.dead = true;
        k.nlink = 0;
        k.version++;
        if (k.opens == 0) {
            freeInode(k);
        }
    }

    private void rmdirCommit(VfsRequest r) {
        Inode p = dirInode(r.parentIno);
        NameLock l = dropLastLock(r);
        setName(p, l.name, null);
        releaseLock(p, l);
        finish(r, OK, 0);
    }

    // ------------------------------------------------------------------ unwinding: let go of everything held

    /**
     * Releases the request's name locks (each at its directory's owner, last taken first), then the rename
     * lock, then finishes with {@code e}, or waits for a directory to be free of locks and starts over, or
     * peeks at the source again.
     */
    private void unwind(VfsRequest r, VfsError e, int after) {
        r.pendingError = e;
        r.afterUnwind = after;
        continueUnwind(r);
    }

    private void continueUnwind(VfsRequest r) {
        if (r.nlocks > 0) {
            go(r, vfs.owner(r.lockDir[r.nlocks - 1]), P_UNLOCK);
            return;
        }
        if (r.holdsG) {
            go(r, 0, P_G_RELEASE);
            return;
        }
        switch (r.afterUnwind) {
            case AFTER_WAIT -> {
                ctr.renameRestarts.incrementRelease();
                go(r, vfs.owner(r.waitIno), P_WAIT_CLEAR);
            }
            case AFTER_REPEEK -> {
                ctr.renameRestarts.incrementRelease();
                go(r, vfs.owner(r.sdir), P_REN_PEEK);
            }
            default -> finish(r, r.pendingError, 0);
        }
    }

    private void unlockStep(VfsRequest r) {
        long dir = r.lockDir[r.nlocks - 1];
        releaseLock(dirInode(dir), dropLastLock(r));
        continueUnwind(r);
    }

    private void waitClear(VfsRequest r) {
        Inode k = inodes.get(r.waitIno);
        if (k == null || k.dead || k.dir.lockCount == 0) {
            vfs.startWalk(r);
            go(r, vfs.owner(Vfs.ROOT_INO), P_WALK);
            return;
        }
        r.parkNext = k.dir.clearWaiters;
        k.dir.clearWaiters = r;
        ctr.nameLockWaits.incrementRelease();
    }

    // ------------------------------------------------------------------ descriptor operations

    private long copiedSoFar() {
        return ctr.copiedFs.get() + ctr.copiedCow.get() + ctr.copiedUser.get();
    }

    private void fdOp(VfsRequest r) {
        OpenFile f = r.file;
        Inode i = f.inode;
        long before = copiedSoFar();
        VfsError e = OK;
        long v = 0;
        switch (r.op) {
            case CLOSE -> {
                i.opens--;
                if (i.nlink == 0 && i.opens == 0) {
                    freeInode(i);
                }
            }
            case FSYNC -> v = i.isDir() ? 0 : i.data.fsync();
            case TRUNCATE -> {
                e = i.data.truncate(pc, r.offset);
                if (e == OK) {
                    i.version++;
                }
            }
            case READ -> {
                readStart(r, i);
                return;
            }
            case WRITE -> {
                e = vfs.dataMode == DataMode.XIO
                        ? i.data.writeXio(pc, r.offset, r.xio)
                        : i.data.write(pc, r.offset, r.kbuf, 0, r.length, true);
                if (e == OK) {
                    i.version++;
                    v = r.length;
                }
            }
            default -> throw new IllegalStateException("not a descriptor operation: " + r);
        }
        r.bytesCopied += copiedSoFar() - before;
        finish(r, e, v);
    }

    // ------------------------------------------------------------------ reads, in pieces, cancellable between them

    /**
     * A test seam: when set, runs at every read safe point, on this CPU, before the abort check (so a test
     * can stop the CPU at a known piece and cancel there). Null in normal use.
     */
    volatile Consumer<VfsRequest> readSafePointObserver;

    /** A read's first step: fixes how many bytes it returns and the file version it reads, then its first piece. */
    private void readStart(VfsRequest r, Inode i) {
        r.readTotal = i.data.readable(r.offset, r.length);
        r.readDone = 0;
        r.readVersion = i.version;
        if (vfs.dataMode == DataMode.XIO) {
            i.data.readXioBegin(pc, r.offset, r.readTotal, r.xio);
        }
        readPiece(r);
    }

    /**
     * One piece of a read ({@link VfsConfig#readPiecePages} pages, ending on a page boundary), after the
     * safe point: an abort asked for stops the read here, releasing what it holds. A read that is not done
     * re-queues itself behind whatever else waits for this CPU. A file changed between pieces (its version
     * moved) ends the read short, at the pieces done — which all saw one version, as an atomic read would.
     */
    private void readPiece(VfsRequest r) {
        Consumer<VfsRequest> o = readSafePointObserver;
        if (o != null) {
            o.accept(r);
        }
        if (r.abortRequested()) {
            abortRead(r);
            return;
        }
        Inode i = r.file.inode;
        if (r.readDone > 0 && i.version != r.readVersion) {
            readEnd(r, r.readDone);
            return;
        }
        if (r.readTotal == 0) {
            readEnd(r, 0);
            return;
        }
        int pageOff = (int) (r.offset & (PageMemory.PAGE_SIZE - 1));
        int next = (pageOff + r.readDone) >>> PageMemory.PAGE_SHIFT;
        int end = (int) Math.min(r.readTotal,
                ((long) (next + vfs.config.readPiecePages()) << PageMemory.PAGE_SHIFT) - pageOff);
        long before = copiedSoFar();
        if (vfs.dataMode == DataMode.XIO) {
            i.data.readXioPages(pc, r.offset, r.xio, ((pageOff + end - 1) >>> PageMemory.PAGE_SHIFT) + 1);
        } else {
            i.data.read(pc, r.offset + r.readDone, r.kbuf, r.readDone, end - r.readDone, true);
        }
        r.bytesCopied += copiedSoFar() - before;
        r.readDone = end;
        ctr.readPieces.incrementRelease();
        if (end == r.readTotal) {
            readEnd(r, end);
            return;
        }
        r.phase = P_READ_PIECE;
        Lwkt.forwardmsg(td.port(), r);
    }

    private void readEnd(VfsRequest r, int n) {
        if (vfs.dataMode == DataMode.XIO) {
            r.xio.bytes = n; // a short read: the pages held cover exactly the pieces done
        }
        finish(r, OK, n);
    }

    /** The safe point found an abort: let go of every page and mapping the read holds, reply ABORTED. */
    private void abortRead(VfsRequest r) {
        if (vfs.dataMode == DataMode.XIO && r.xio != null) {
            releaseNow(r.xio);
        }
        r.reply(VfsError.EINTR, 0);
        ctr.vop(r.op, VfsError.EINTR);
        ctr.readsAborted.incrementRelease();
        Lwkt.replyAborted(r);
    }

    // ------------------------------------------------------------------ rename

    private void renameWalked(VfsRequest r, Inode dir) {
        if (r.stage == 0) {
            r.sdir = dir.ino;
            r.stage = 1;
            r.walkPath = r.path2;
            r.pos = 0;
            r.walkEnd = r.lastStart2;
            r.cur = Vfs.ROOT_INO;
            go(r, vfs.owner(Vfs.ROOT_INO), P_WALK);
        } else {
            r.ddir = dir.ino;
            r.stage = 2;
            go(r, vfs.owner(r.sdir), P_REN_PEEK);
        }
    }

    /** At the source directory's owner, holding nothing: what does the source name name now? */
    private void renamePeek(VfsRequest r) {
        Inode s = inodes.get(r.sdir);
        if (s == null || s.dead) {
            finish(r, ENOENT, 0);
            return;
        }
        NameLock l = lockedByOther(s, r.path, r.lastStart, r.lastEnd, r);
        if (l != null) {
            park(r, l);
            return;
        }
        Dirent de = lookupName(s, r.path, r.lastStart, r.lastEnd);
        if (de == null) {
            finish(r, ENOENT, 0);
            return;
        }
        r.srcIno = de.ino;
        r.srcType = de.type;
        if (de.type == FileType.DIRECTORY && r.sdir != r.ddir) {
            go(r, 0, P_REN_G);
        } else {
            startLocks(r);
        }
    }

    /** On CPU 0: the rename lock, serialising directory moves between parents (as Linux's s_vfs_rename_mutex). */
    private void renameTakeG(VfsRequest r) {
        if (gHolder == null) {
            grantG(r);
            return;
        }
        r.parkNext = null;
        if (gTail == null) {
            gHead = r;
        } else {
            gTail.parkNext = r;
        }
        gTail = r;
        ctr.nameLockWaits.incrementRelease();
    }

    private void grantG(VfsRequest r) {
        gHolder = r;
        r.holdsG = true;
        r.anc = r.ddir;
        go(r, vfs.owner(r.ddir), P_REN_ANCESTRY);
    }

    private void releaseG(VfsRequest r) {
        if (gHolder != r) {
            throw new IllegalStateException("rename lock released by " + r + " but held by " + gHolder);
        }
        gHolder = null;
        r.holdsG = false;
        VfsRequest w = gHead;
        if (w != null) {
            gHead = w.parkNext;
            if (gHead == null) {
                gTail = null;
            }
            w.parkNext = null;
            gHolder = w;
            w.holdsG = true;
            w.anc = w.ddir;
            w.phase = P_REN_ANCESTRY;
            Lwkt.forwardmsg(vfs.servers[vfs.owner(w.ddir)].td.port(), w);
        }
        continueUnwind(r);
    }

    /** Walks up from the destination directory: moving a directory under itself is EINVAL. Stable: only G's holder changes parents. */
    private void renameAncestry(VfsRequest r) {
        if (r.anc == r.srcIno) {
            unwind(r, EINVAL, AFTER_FINISH);
            return;
        }
        if (r.anc == Vfs.ROOT_INO) {
            startLocks(r);
            return;
        }
        Inode a = inodes.get(r.anc);
        if (a == null || a.dead) {
            unwind(r, ENOENT, AFTER_FINISH);
            return;
        }
        r.anc = a.parent;
        go(r, vfs.owner(r.anc), P_REN_ANCESTRY);
    }

    /** Orders the two name keys (directory inode, then name) and takes the first. */
    private void startLocks(VfsRequest r) {
        int c = Long.compare(r.sdir, r.ddir);
        if (c == 0) {
            c = compareNames(r.path, r.lastStart, r.lastEnd, r.path2, r.lastStart2, r.lastEnd2);
        }
        r.nkeys = c == 0 ? 1 : 2;
        r.srcFirst = c <= 0;
        r.lockStep = 0;
        r.dstIno = 0;
        r.dstType = null;
        go(r, vfs.owner(r.srcFirst ? r.sdir : r.ddir), P_REN_LOCK);
    }

    private static int compareNames(String a, int as, int ae, String b, int bs, int be) {
        int n = Math.min(ae - as, be - bs);
        for (int i = 0; i < n; i++) {
            int d = a.charAt(as + i) - b.charAt(bs + i);
            if (d != 0) {
                return d;
            }
        }
        return (ae - as) - (be - bs);
    }

    private void renameLock(VfsRequest r) {
        int k = r.lockStep;
        boolean isSrc = r.nkeys == 1 || (k == 0) == r.srcFirst;
        boolean isDst = r.nkeys == 1 || !isSrc;
        long dirIno = isSrc ? r.sdir : r.ddir;
        String p = isSrc ? r.path : r.path2;
        int s = isSrc ? r.lastStart : r.lastStart2;
        int e = isSrc ? r.lastEnd : r.lastEnd2;
        Inode d = inodes.get(dirIno);
        if (d == null || d.dead) {
            unwind(r, ENOENT, AFTER_FINISH);
            return;
        }
        NameLock held = lockedByOther(d, p, s, e, r);
        if (held != null) {
            park(r, held);
            return;
        }
        Dirent de = lookupName(d, p, s, e);
        if (isSrc) {
            if (de == null) {
                unwind(r, ENOENT, AFTER_FINISH);
                return;
            }
            if (de.ino != r.srcIno) {
                unwind(r, null, AFTER_REPEEK);
                return;
            }
        }
        addLock(r, dirIno, d.dir.lock(de != null ? de.name : p.substring(s, e), r));
        if (isDst && de != null) {
            r.dstIno = de.ino;
            r.dstType = de.type;
        }
        r.lockStep++;
        if (r.lockStep < r.nkeys) {
            go(r, vfs.owner(r.srcFirst ? r.ddir : r.sdir), P_REN_LOCK);
        } else {
            renameCheck(r);
        }
    }

    private void renameCheck(VfsRequest r) {
        if (r.nkeys == 1 || r.dstIno == r.srcIno) {
            unwind(r, OK, AFTER_FINISH);
            return;
        }
        if (r.dstIno != 0) {
            if (r.srcType == FileType.DIRECTORY && r.dstType == FileType.REGULAR) {
                unwind(r, ENOTDIR, AFTER_FINISH);
                return;
            }
            if (r.srcType == FileType.REGULAR && r.dstType == FileType.DIRECTORY) {
                unwind(r, EISDIR, AFTER_FINISH);
                return;
            }
            if (r.dstType == FileType.DIRECTORY) {
                go(r, vfs.owner(r.dstIno), P_REN_DOOM);
                return;
            }
        }
        afterDoom(r);
    }

    /** At the replaced directory's owner: it must be empty and free of locks; then it leaves the namespace. */
    private void renameDoom(VfsRequest r) {
        Inode j = inodes.get(r.dstIno);
        if (j.dir.size() != 0) {
            unwind(r, ENOTEMPTY, AFTER_FINISH);
            return;
        }
        if (j.dir.lockCount != 0) {
            r.waitIno = j.ino;
            unwind(r, null, AFTER_WAIT);
            return;
        }
        doom(j);
        afterDoom(r);
    }

    private void afterDoom(VfsRequest r) {
        if (r.srcType == FileType.DIRECTORY && r.sdir != r.ddir) {
            go(r, vfs.owner(r.srcIno), P_REN_SETPARENT);
        } else {
            go(r, vfs.owner(r.ddir), P_REN_COMMIT_D);
        }
    }

    /** Before the new name is visible, so a walk through it that then asks for ".." finds the new parent. */
    private void renameSetParent(VfsRequest r) {
        Inode i = inodes.get(r.srcIno);
        i.parent = r.ddir;
        i.version++;
        go(r, vfs.owner(r.ddir), P_REN_COMMIT_D);
    }

    private void renameCommitDst(VfsRequest r) {
        Inode d = dirInode(r.ddir);
        int k = r.srcFirst ? 1 : 0;
        NameLock l = r.lockRef[k];
        setName(d, l.name, new Dirent(l.name, r.srcIno, r.srcType, null));
        if (k == 0) {
            r.lockDir[0] = r.lockDir[1];
            r.lockRef[0] = r.lockRef[1];
        }
        r.lockRef[1] = null;
        r.nlocks = 1;
        releaseLock(d, l);
        go(r, vfs.owner(r.sdir), P_REN_COMMIT_S);
    }

    private void renameCommitSrc(VfsRequest r) {
        Inode s = dirInode(r.sdir);
        NameLock l = dropLastLock(r);
        setName(s, l.name, null);
        releaseLock(s, l);
        if (r.dstIno != 0 && r.dstType == FileType.REGULAR) {
            r.targetIno = r.dstIno;
            go(r, vfs.owner(r.dstIno), P_UNREF);
        } else {
            renameDone(r);
        }
    }

    private void renameDone(VfsRequest r) {
        r.pendingError = OK;
        r.afterUnwind = AFTER_FINISH;
        continueUnwind(r);
    }

    // ------------------------------------------------------------------ XIO releases (passive IPI → end of step)

    /** Queues an XIO whose holds go back to this CPU. This CPU only (IPI context or a client here). */
    void queueRelease(Xio x) {
        x.releaseNext = releases;
        releases = x;
    }

    @Override
    public void endOfStep(Cpu c) {
        Xio x = releases;
        if (x == null) {
            return;
        }
        releases = null;
        while (x != null) {
            Xio n = x.releaseNext;
            x.releaseNext = null;
            releaseNow(x);
            x = n;
        }
    }

    /** Drops the holds and mapping references of an XIO whose pages are this CPU's; it is reusable after. */
    private void releaseNow(Xio x) {
        for (int i = 0; i < x.npages; i++) {
            if (x.sfbufs[i] != null) {
                pc.sf.release(x.sfbufs[i]);
            }
            pc.unhold(x.pages[i]);
        }
        ctr.xioReleases.incrementRelease();
        x.markReleased();
    }

    // ------------------------------------------------------------------ shutdown

    @Override
    public void onShutdown(LwktThread thread) {
        endOfStep(thread.cpu());
        for (Inode i : inodes.values()) {
            if (i.isDir()) {
                i.dir.abandonWaiters(this);
            }
        }
        for (VfsRequest w = gHead; w != null; ) {
            VfsRequest n = w.parkNext;
            w.parkNext = null;
            abandon(w);
            w = n;
        }
        gHead = null;
        gTail = null;
    }

    /** Replies a request still parked at shutdown with EIO (nothing is left unreplied). */
    void abandon(VfsRequest w) {
        vfs.abandoned.incrementAndGet();
        finish(w, VfsError.EIO, 0);
    }

    @Override
    public void onCpuShutdown(Cpu c, ShutdownReport.Builder report) {
        if (c.id() != cpu) {
            return;
        }
        endOfStep(c);
        int held = pc.heldPages();
        int mapped = pc.sf.referenced();
        if (held != 0 || mapped != 0) {
            report.problem("vfs '" + vfs.config.name() + "' cpu " + cpu + ": " + held + " page(s) still held and "
                    + mapped + " sf_buf mapping(s) still referenced by XIOs never released");
        }
        report.line("vfs", "cpu " + cpu + ": " + inodes.size() + " inodes, " + pc.sf.slots() + " sf_buf slots");
    }

    /** Unmount: frees every file's pages (this CPU only, nothing running). */
    void freeAll() {
        endOfStep(vfs.kernel.cpu(cpu));
        for (Inode i : inodes.values()) {
            if (i.type == FileType.REGULAR) {
                i.data.freeAll(pc);
            }
        }
    }

    /** Inodes this CPU owns (for the live count; this CPU only). */
    int inodeCount() {
        return inodes.size();
    }

    /** Page holds and mapping references outstanding (this CPU only). */
    int outstanding() {
        return pc.heldPages() + pc.sf.referenced();
    }
}
