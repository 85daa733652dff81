package org.lwktlab.vfs;

import static org.lwktlab.vfs.PageMemory.PAGE_SHIFT;
import static org.lwktlab.vfs.PageMemory.PAGE_SIZE;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lwktlab.lwkt.Cpu;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.Port;
import org.lwktlab.lwkt.WaitPort;
import org.lwktlab.metrics.probe.Labels;

/**
 * One client of a {@link Vfs} — a "process": its descriptor table, its requests and the user edge of
 * the data path. This is the syscall layer: it checks every argument before any VOP runs, so bad input
 * becomes a {@link VfsError} and never an exception, and it does the user-edge copies.
 *
 * <p><b>Two ways to call.</b>
 * <ul>
 *   <li>Asynchronously, from an LWKT thread (a CPU never blocks): set a request's verb, {@link #submit}
 *       it; if that returns false the reply arrives later at the session's reply port — call
 *       {@link #complete} on it there, then read the result.</li>
 *   <li>Blocking, from a thread outside the kernel (or anywhere with the mutex design): the methods named
 *       after the operations ({@link #mkdir}, {@link #read}, ...) submit the session's own request and
 *       wait.</li>
 * </ul>
 *
 * <p><b>Threads.</b> One thread at a time (the client's).
 */
public final class VfsSession {
    /** Most bytes one read or write moves ({@code MAXPHYS}); larger requests move this much (a short count). */
    public static final int MAX_IO = 256 * 1024;
    private static final int MASK = PAGE_SIZE - 1;

    final Vfs vfs;
    final String name;
    final Port replyPort;
    final VfsCounters counters;
    /** Page context for work this session does itself (mutex design). */
    final PageContext pc;
    /** Design state: the mutex design's lock handles. */
    Object designState;
    private OpenFile[] fds = new OpenFile[16];
    private final List<Xio> xios = new ArrayList<>();
    private final VfsRequest request;
    private final List<VfsRequest> requests = new ArrayList<>();
    private Xio writePages;

    VfsSession(Vfs vfs, String name, Port replyPort) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a session needs a name (its 'client' probe label)");
        }
        this.vfs = vfs;
        this.name = name;
        this.replyPort = replyPort;
        this.counters = new VfsCounters(vfs.probes, Labels.of("vfs", vfs.config.name(), "client", name));
        this.pc = new PageContext(vfs.mem, -1, counters, null, false, 0);
        this.designState = vfs instanceof MutexVfs m ? m.newSessionState(this) : null;
        this.request = newRequest();
    }

    public String name() {
        return name;
    }

    public Vfs vfs() {
        return vfs;
    }

    /** The session's own request (the blocking methods use it). */
    public VfsRequest request() {
        return request;
    }

    /** Another request, for a client that keeps several in flight. */
    public VfsRequest newRequest() {
        VfsRequest r = new VfsRequest(this, vfs.config.dirBatch());
        r.init(replyPort != null ? replyPort : WaitPort.get());
        requests.add(r);
        if (vfs.dataMode() == DataMode.COPY && vfs instanceof MessageVfs) {
            r.kbuf = new byte[MAX_IO];
        }
        return r;
    }

    // ------------------------------------------------------------------ asynchronous use

    /**
     * Starts {@code r}. Returns true if it is complete already — bad arguments, the mutex design, or the
     * message design called from outside the kernel (which waits) — and false if its reply will arrive at
     * the reply port, where the client must call {@link #complete}.
     *
     * @throws IllegalStateException if {@code r} belongs to another session, is still in flight, or
     *     (message design, on a CPU) the session has no reply port
     */
    public boolean submit(VfsRequest r) {
        if (r.session != this) {
            throw new IllegalStateException("request " + r + " belongs to session '" + r.session.name + "', not '" + name + "'");
        }
        if (!r.isDone()) {
            throw new IllegalStateException("request " + r + " is still in flight; wait for its reply before reusing it");
        }
        if (vfs instanceof MessageVfs && Lwkt.currentCpu() != null && replyPort == null) {
            throw new IllegalStateException("session '" + name + "' has no reply port, so it cannot submit from cpu "
                    + Lwkt.currentCpu().id() + "; create it with the client thread's port");
        }
        releaseHeld(r);
        // only a read may be cancelled: it holds nothing between its pieces that its abort cannot release
        r.init(r.replyPort(), r.op == Vop.READ ? Message.ABORTABLE : 0);
        r.verror = VfsError.OK;
        r.value = 0;
        r.bytesCopied = 0;
        r.file = null;
        r.phase = 0;
        VfsError e = validate(r);
        if (e == VfsError.OK) {
            e = userEdgeBefore(r);
        }
        if (e != VfsError.OK) {
            r.reply(e, 0);
            counters.vop(r.op, e);
            return true;
        }
        if (vfs.start(this, r)) {
            complete(r);
            return true;
        }
        return false;
    }

    /** Finishes {@code r} after its reply arrived (message design, asynchronous use): user-edge copies, descriptors. */
    public void complete(VfsRequest r) {
        if (r.error() != Errno.OK && r.verror == VfsError.OK) {
            // replied by the core, not a vnode server: cancelled while queued, or a handler failed
            r.verror = r.isAborted() ? VfsError.EINTR : VfsError.EIO;
        }
        if (r.verror == VfsError.OK) {
            userEdgeAfter(r);
        } else if (r.op == Vop.WRITE && r.xio != null && vfs.dataMode() == DataMode.XIO && vfs instanceof MessageVfs) {
            freeWriteXio(r.xio);
        }
        if (r.op == Vop.READ && r.verror != VfsError.OK && r.xio != null) {
            if (r.xio.ownerCpu >= 0) {
                vfs.releaseXio(this, r.xio);
            } else {
                r.xio.markReleased();
            }
            r.xio = null;
        }
        if (r.verror == VfsError.OK && r.op == Vop.READ && r.pages) {
            r.pagesResult = r.heldPages != null ? r.heldPages : r.ownPages;
        }
        if (!(vfs instanceof MessageVfs)) {
            counters.vop(r.op, r.verror); // the message design counts at the VOP port that answered
        }
    }

    /**
     * Asks for read {@code r}, in flight, to be cancelled ({@code lwkt_abortmsg}). Any thread. The read
     * still completes exactly once: with {@link VfsError#EINTR}, no data and nothing held, if the abort
     * reached it before its last piece (queued, or at the safe point between pieces); normally otherwise.
     * The mutex design runs a read on its caller's thread, to the end, so there is never one in flight.
     *
     * @return true if this call asked for the abort; false if {@code r} is not a read in flight, or an abort
     *     was already asked for
     */
    public boolean cancel(VfsRequest r) {
        return Lwkt.abortmsg(r);
    }

    /** Releases the pages a {@link VfsRequest#readPages} result holds (also done when the request is reused). */
    public void release(VfsRequest r) {
        releaseHeld(r);
    }

    private void releaseHeld(VfsRequest r) {
        r.pagesResult = null;
        Xio x = r.heldPages;
        if (x != null) {
            r.heldPages = null;
            vfs.releaseXio(this, x);
        }
    }

    /**
     * Pages laid out for a write of {@code len} bytes at {@code off} (same offset in the first page as the
     * file's), for the user to fill in place with {@link PageMemory#putLong} and pass to
     * {@link VfsRequest#writePages}. Returns null if the arguments are bad or page memory is exhausted.
     */
    public Xio pagesForWrite(long off, int len) {
        if (off < 0 || len <= 0 || len > MAX_IO) {
            return null;
        }
        Xio x = writePages;
        if (x == null || !x.released()) {
            x = new Xio(vfs instanceof MessageVfs m ? m : null);
            writePages = x;
        }
        if (!layout(x, off, len)) {
            return null;
        }
        return x;
    }

    /** Lays {@code x} out for {@code [off, off+len)}, keeping pages it has and allocating the rest. */
    private boolean layout(Xio x, long off, int len) {
        int n = (int) ((((off & MASK) + len - 1) >>> PAGE_SHIFT) + 1);
        for (int i = 0; i < n; i++) {
            if (x.pages[i] == 0) {
                long p = vfs.mem.alloc();
                if (p == 0) {
                    return false;
                }
                x.pages[i] = p;
            }
        }
        for (int i = n; i < x.npages; i++) {
            if (x.pages[i] != 0) {
                vfs.mem.free(x.pages[i]);
                x.pages[i] = 0;
            }
        }
        x.npages = n;
        x.offset = (int) (off & MASK);
        x.bytes = len;
        return true;
    }

    /**
     * Reads an XIO's data in place: calls {@code c} for each page segment, after mapping the page on this
     * CPU (which counts the local invalidation if the page's mapping is new to it). Copies nothing.
     */
    public void consume(Xio x, PageConsumer c) {
        int cpu = currentCpu();
        int done = 0;
        for (int i = 0; i < x.npages; i++) {
            int off = i == 0 ? x.offset : 0;
            int k = Math.min(PAGE_SIZE - off, x.bytes - done);
            useMapping(x, i, cpu);
            c.accept(vfs.mem, x.pages[i], off, k);
            done += k;
        }
    }

    /** Reads pages in place (see {@link #consume}). */
    @FunctionalInterface
    public interface PageConsumer {
        /** {@code len} bytes of {@code page} from {@code off} are the next data. */
        void accept(PageMemory mem, long page, int off, int len);
    }

    private static int currentCpu() {
        Cpu c = Lwkt.currentCpu();
        return c == null ? -1 : c.id();
    }

    private void useMapping(Xio x, int i, int cpu) {
        SfBuf sf = x.sfbufs[i];
        if (sf != null && cpu >= 0) {
            if (sf.useOn(cpu)) {
                counters.sfbufLocalInvalidations.incrementRelease();
            } else {
                counters.sfbufValidUses.incrementRelease();
            }
        }
    }

    // ------------------------------------------------------------------ the syscall layer

    private VfsError validate(VfsRequest r) {
        if (r.op == null) {
            return VfsError.EINVAL;
        }
        switch (r.op) {
            case LOOKUP, GETATTR, READDIR -> {
                return PathName.check(r.path);
            }
            case OPEN -> {
                if ((r.flags & ~Vfs.O_ACCMODE) != 0 || (r.flags & Vfs.O_ACCMODE) == Vfs.O_ACCMODE) {
                    return VfsError.EINVAL;
                }
                return PathName.check(r.path);
            }
            case CREATE, MKDIR, UNLINK, RMDIR -> {
                VfsError e = PathName.check(r.path);
                if (e != VfsError.OK) {
                    return e;
                }
                r.lastEnd = PathName.lastEnd(r.path);
                r.lastStart = PathName.lastStart(r.path, r.lastEnd);
                if (r.lastEnd == 0) {
                    return switch (r.op) {
                        case CREATE, MKDIR -> VfsError.EEXIST;
                        case UNLINK -> VfsError.EISDIR;
                        default -> VfsError.EINVAL;
                    };
                }
                return VfsError.OK;
            }
            case RENAME -> {
                VfsError e = PathName.check(r.path);
                if (e == VfsError.OK) {
                    e = PathName.check(r.path2);
                }
                if (e != VfsError.OK) {
                    return e;
                }
                r.lastEnd = PathName.lastEnd(r.path);
                r.lastStart = PathName.lastStart(r.path, r.lastEnd);
                r.lastEnd2 = PathName.lastEnd(r.path2);
                r.lastStart2 = PathName.lastStart(r.path2, r.lastEnd2);
                if (r.lastEnd == 0 || r.lastEnd2 == 0 || dotOrDotDot(r.path, r.lastStart, r.lastEnd)
                        || dotOrDotDot(r.path2, r.lastStart2, r.lastEnd2)) {
                    return VfsError.EINVAL;
                }
                return VfsError.OK;
            }
            case CLOSE -> {
                OpenFile f = fd(r.fd);
                if (f == null) {
                    return VfsError.EBADF;
                }
                fds[r.fd] = null;
                r.file = f;
                return VfsError.OK;
            }
            case FSYNC -> {
                r.file = fd(r.fd);
                return r.file == null ? VfsError.EBADF : VfsError.OK;
            }
            case TRUNCATE -> {
                OpenFile f = fd(r.fd);
                if (f == null || !f.writable()) {
                    return VfsError.EBADF;
                }
                if (r.offset < 0 || r.offset > FileData.MAX_SIZE) {
                    return VfsError.EINVAL;
                }
                r.file = f;
                return VfsError.OK;
            }
            case READ -> {
                OpenFile f = fd(r.fd);
                if (f == null || !f.readable()) {
                    return VfsError.EBADF;
                }
                if (f.type == FileType.DIRECTORY) {
                    return VfsError.EISDIR;
                }
                if (r.offset < 0 || r.length < 0 || (!r.pages && (r.ubuf == null || r.uoff < 0
                        || r.uoff > r.ubuf.length - r.length))) {
                    return VfsError.EINVAL;
                }
                r.length = Math.min(r.length, MAX_IO);
                r.file = f;
                return VfsError.OK;
            }
            case WRITE -> {
                OpenFile f = fd(r.fd);
                if (f == null || !f.writable()) {
                    return VfsError.EBADF;
                }
                if (r.offset < 0 || r.length < 0) {
                    return VfsError.EINVAL;
                }
                if (r.pages) {
                    Xio x = r.xio;
                    if (x == null || x != writePages || x.npages == 0 || x.offset != (int) (r.offset & MASK)
                            || x.bytes != r.length) {
                        return VfsError.EINVAL;
                    }
                } else {
                    if (r.ubuf == null || r.uoff < 0 || r.uoff > r.ubuf.length - r.length) {
                        return VfsError.EINVAL;
                    }
                    r.length = Math.min(r.length, MAX_IO);
                }
                if (r.offset + r.length > FileData.MAX_SIZE) {
                    return VfsError.EINVAL;
                }
                r.file = f;
                return VfsError.OK;
            }
        }
        return VfsError.EINVAL;
    }

    private static boolean dotOrDotDot(String p, int s, int e) {
        return PathName.isDot(p, s, e) || PathName.isDotDot(p, s, e);
    }

    private OpenFile fd(int fd) {
        return fd >= 0 && fd < fds.length ? fds[fd] : null;
    }

    private int addFd(OpenFile f) {
        for (int i = 0; i < fds.length; i++) {
            if (fds[i] == null) {
                fds[i] = f;
                return i;
            }
        }
        int i = fds.length;
        fds = Arrays.copyOf(fds, i * 2);
        fds[i] = f;
        return i;
    }

    /**
     * Frees the pages the session keeps for its own use (copy designs' page buffers, unused write pages)
     * and releases pages a read left held. Descriptors stay as they are. Called by {@link Vfs#close()}.
     */
    void close() {
        for (VfsRequest r : requests) {
            releaseHeld(r);
            freePages(r.ownPages);
            r.ownPages = null;
        }
        if (writePages != null && writePages.released()) {
            freePages(writePages);
            writePages = null;
        }
    }

    private void freePages(Xio x) {
        if (x == null) {
            return;
        }
        for (int i = 0; i < x.pages.length; i++) {
            if (x.pages[i] != 0) {
                vfs.mem.free(x.pages[i]);
                x.pages[i] = 0;
            }
        }
        x.npages = 0;
    }

    /** Inodes behind the descriptors open now (for unmount). */
    List<Inode> openInodes() {
        List<Inode> l = new ArrayList<>();
        for (OpenFile f : fds) {
            if (f != null) {
                l.add(f.inode);
            }
        }
        return l;
    }

    /** Descriptors open now. */
    public int openDescriptors() {
        int n = 0;
        for (OpenFile f : fds) {
            if (f != null) {
                n++;
            }
        }
        return n;
    }

    /** Data the user edge moves before the request leaves (message design writes). */
    private VfsError userEdgeBefore(VfsRequest r) {
        if (r.op != Vop.WRITE || !(vfs instanceof MessageVfs)) {
            return VfsError.OK;
        }
        int len = r.length;
        if (vfs.dataMode() == DataMode.COPY) {
            if (r.pages) {
                copyXio(r.xio, r.kbuf, 0, true);
            } else {
                System.arraycopy(r.ubuf, r.uoff, r.kbuf, 0, len);
            }
            copiedUser(r, len);
            return VfsError.OK;
        }
        if (r.pages) {
            r.xio.claim();
            return VfsError.OK;
        }
        Xio x = acquireXio();
        if (!layout(x, r.offset, len)) {
            freeWriteXio(x);
            return VfsError.ENOSPC;
        }
        copyXio(x, r.ubuf, r.uoff, false);
        copiedUser(r, len);
        r.xio = x;
        return VfsError.OK;
    }

    /** Data the user edge moves after the reply (message design reads), and descriptor bookkeeping. */
    private void userEdgeAfter(VfsRequest r) {
        switch (r.op) {
            case OPEN -> r.value = addFd(r.file);
            case READ -> {
                int n = (int) r.value;
                if (vfs instanceof MessageVfs) {
                    if (vfs.dataMode() == DataMode.XIO) {
                        if (r.pages) {
                            r.heldPages = r.xio;
                        } else {
                            copyXio(r.xio, r.ubuf, r.uoff, true);
                            copiedUser(r, n);
                            vfs.releaseXio(this, r.xio);
                        }
                        r.xio = null;
                    } else if (r.pages) {
                        Xio x = pagesFor(r, n);
                        if (x != null) {
                            copyXio(x, r.kbuf, 0, false);
                            copiedUser(r, n);
                        }
                    } else {
                        System.arraycopy(r.kbuf, 0, r.ubuf, r.uoff, n);
                        copiedUser(r, n);
                    }
                }
                counters.delivered.getAndAddRelease(n);
            }
            case WRITE -> {
                counters.delivered.getAndAddRelease(r.value);
                if (vfs instanceof MessageVfs && vfs.dataMode() == DataMode.XIO) {
                    freeWriteXio(r.xio);
                }
            }
            default -> { }
        }
    }

    /** A session-owned page list to hand a copied read to the user as pages (copy designs). */
    Xio pagesFor(VfsRequest r, int n) {
        Xio x = r.ownPages;
        if (x == null) {
            x = new Xio(vfs instanceof MessageVfs m ? m : null);
            r.ownPages = x;
        }
        if (n == 0) {
            x.npages = 0;
            x.bytes = 0;
            return x;
        }
        if (!layout(x, r.offset, n)) {
            r.verror = VfsError.ENOSPC;
            r.value = 0;
            return null;
        }
        return x;
    }

    private void copiedUser(VfsRequest r, long n) {
        counters.copiedUser.getAndAddRelease(n);
        r.bytesCopied += n;
    }

    /**
     * Copies between the pages of {@code x} and {@code buf[off..off+x.bytes)}: into the buffer if
     * {@code toBuffer}, else into the pages. Pages an owner mapped are used through their mapping on this
     * CPU (counting the TLB work); fresh pages are the session's own.
     */
    private void copyXio(Xio x, byte[] buf, int off, boolean toBuffer) {
        int cpu = currentCpu();
        int done = 0;
        for (int i = 0; i < x.npages; i++) {
            int po = i == 0 ? x.offset : 0;
            int k = Math.min(PAGE_SIZE - po, x.bytes - done);
            if (toBuffer) {
                useMapping(x, i, cpu);
                vfs.mem.copyOut(x.pages[i], po, buf, off + done, k);
            } else {
                vfs.mem.copyIn(x.pages[i], po, buf, off + done, k);
            }
            done += k;
        }
    }

    /** An XIO no page is held for (reused, or new). */
    private Xio acquireXio() {
        for (int i = 0; i < xios.size(); i++) {
            Xio x = xios.get(i);
            if (x.released()) {
                x.claim();
                return x;
            }
        }
        Xio x = new Xio((MessageVfs) vfs);
        x.claim();
        xios.add(x);
        return x;
    }

    /** Frees what the filesystem did not adopt from a write XIO and makes it reusable. */
    private void freeWriteXio(Xio x) {
        if (x == null) {
            return;
        }
        for (int i = 0; i < x.npages; i++) {
            if (x.pages[i] != 0) {
                vfs.mem.free(x.pages[i]);
            }
        }
        x.markReleased();
    }

    /** A read XIO for the message design's XIO mode (released by the owner after use). */
    Xio readXio() {
        return acquireXio();
    }

    // ------------------------------------------------------------------ blocking use

    private VfsRequest call(VfsRequest r) {
        if (vfs instanceof MessageVfs && Lwkt.currentCpu() != null) {
            throw new IllegalStateException("blocking " + r.op + " on cpu " + Lwkt.currentCpu().id()
                    + ": a CPU never blocks; use submit() and complete the request in the reply handler");
        }
        if (!submit(r)) {
            throw new IllegalStateException(r + " did not complete synchronously");
        }
        return r;
    }

    private long result(VfsRequest r) {
        return r.verror == VfsError.OK ? r.value : -r.verror.code();
    }

    /** The inode number {@code path} names, or {@code -errno}. */
    public long lookup(String path) {
        return result(call(request.lookup(path)));
    }

    public VfsError create(String path) {
        return call(request.create(path)).verror;
    }

    public VfsError mkdir(String path) {
        return call(request.mkdir(path)).verror;
    }

    /** A descriptor, or {@code -errno}. */
    public int open(String path, int flags) {
        return (int) result(call(request.open(path, flags)));
    }

    public VfsError close(int fd) {
        return call(request.close(fd)).verror;
    }

    /** Bytes read (0 at the end), or {@code -errno}. */
    public long read(int fd, long off, byte[] buf, int bufOff, int len) {
        return result(call(request.read(fd, off, buf, bufOff, len)));
    }

    /** Bytes written, or {@code -errno}. */
    public long write(int fd, long off, byte[] buf, int bufOff, int len) {
        return result(call(request.write(fd, off, buf, bufOff, len)));
    }

    public VfsError truncate(int fd, long length) {
        return call(request.truncate(fd, length)).verror;
    }

    /** Attributes into {@code request().attr()}. */
    public VfsError getattr(String path) {
        return call(request.getattr(path)).verror;
    }

    /** One batch of entries after {@code cursor} into {@code request().dirBuffer()}. */
    public VfsError readdir(String path, String cursor) {
        return call(request.readdir(path, cursor)).verror;
    }

    public VfsError unlink(String path) {
        return call(request.unlink(path)).verror;
    }

    public VfsError rmdir(String path) {
        return call(request.rmdir(path)).verror;
    }

    public VfsError rename(String from, String to) {
        return call(request.rename(from, to)).verror;
    }

    /** Dirty pages written back, or {@code -errno}. */
    public long fsync(int fd) {
        return result(call(request.fsync(fd)));
    }

    @Override
    public String toString() {
        return "VfsSession[" + name + " on " + vfs.design() + "]";
    }
}
