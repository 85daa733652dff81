package org.lwktlab.vfs;

import org.lwktlab.lwkt.Message;

/**
 * One VFS request and its result: a message (so in the message design it travels from CPU to CPU as
 * the path walk and the protocols go, and is replied to the session's reply port) that also carries
 * everything the mutex design needs to run it in place.
 *
 * <p><b>Use.</b> Get one from {@link VfsSession#newRequest()} (a session has one ready in
 * {@link VfsSession#request()}), set the operation with one of the verbs below, and
 * {@link VfsSession#submit submit} it. When it is done (at once, or when its reply reaches the reply
 * port and {@link VfsSession#complete complete} ran), read {@link #status()}, {@link #value()} and the
 * operation's output. A request is reused for the next operation; it allocates nothing per use.
 *
 * <p><b>Cancelling.</b> A read is abortable: {@link VfsSession#cancel} (or {@code Lwkt.abortmsg}) from any
 * thread stops it — before it starts, or between the pieces a long read is done in — and it completes
 * with {@link VfsError#EINTR} ({@code ABORTED}), no data and no page left held; a read already replied
 * is not changed. Other operations are not abortable (they hold name locks while they move).
 *
 * <p><b>Ownership</b> follows the message's: the session before submit and after completion; the CPU
 * handling it in between. The path strings, buffers and results are plain fields for that reason.
 */
public final class VfsRequest extends Message {
    // ---- arguments
    Vop op;
    String path;
    String path2;
    int flags;
    int fd;
    long offset;
    int length;
    byte[] ubuf;
    int uoff;
    /** Read: leave the data in {@link #xio} for the user to consume; write: take it from there. */
    boolean pages;
    String cursor;
    final DirBuffer dir;
    final Attr attr = new Attr();
    final VfsSession session;

    // ---- results
    VfsError verror = VfsError.OK;
    long value;
    long bytesCopied;

    // ---- in flight
    OpenFile file;
    /** The kernel buffer that carries data in {@link DataMode#COPY}. */
    byte[] kbuf;
    /** The page list that carries data in flight in {@link DataMode#XIO} (or the user's pages of a {@link #writePages}). */
    Xio xio;
    /** XIO-mode pages a {@link #readPages} handed to the user, still held: released when the request is reused. */
    Xio heldPages;
    /** Session-owned pages a {@link #readPages} fills by copying (copy designs); kept for reuse. */
    Xio ownPages;
    /** The last operation completed was a successful {@link #readPages}: {@link #xio()} is its data. */
    Xio pagesResult;
    int phase;
    String walkPath;
    int pos;
    int walkEnd;
    long cur;
    int lastStart;
    int lastEnd;
    int lastStart2;
    int lastEnd2;
    int stage;
    long newIno;
    long parentIno;
    long targetIno;
    long sdir;
    long ddir;
    long srcIno;
    FileType srcType;
    long dstIno;
    FileType dstType;
    long anc;
    boolean holdsG;
    int lockStep;
    int nkeys;
    boolean srcFirst;
    final long[] lockDir = new long[2];
    final NameLock[] lockRef = new NameLock[2];
    int nlocks;
    VfsError pendingError;
    int afterUnwind;
    long waitIno;
    /** Next request parked on the same lock or list. */
    VfsRequest parkNext;
    /** A read in pieces: bytes it will return (fixed at its first piece), bytes done, the file's version then. */
    int readTotal;
    int readDone;
    long readVersion;

    VfsRequest(VfsSession session, int dirCapacity) {
        this.session = session;
        this.dir = new DirBuffer(dirCapacity);
    }

    // ------------------------------------------------------------------ verbs

    private VfsRequest set(Vop op, String path) {
        this.op = op;
        this.path = path;
        this.path2 = null;
        this.ubuf = null;
        this.pages = false;
        this.cursor = null;
        this.flags = 0;
        this.fd = -1;
        this.offset = 0;
        this.length = 0;
        return this;
    }

    /** {@link Vop#LOOKUP}: {@link #value()} is the inode number. */
    public VfsRequest lookup(String path) {
        return set(Vop.LOOKUP, path);
    }

    /** {@link Vop#CREATE}: an empty regular file; {@link #value()} is its inode number. */
    public VfsRequest create(String path) {
        return set(Vop.CREATE, path);
    }

    /** {@link Vop#MKDIR}: an empty directory; {@link #value()} is its inode number. */
    public VfsRequest mkdir(String path) {
        return set(Vop.MKDIR, path);
    }

    /** {@link Vop#OPEN} with {@link Vfs#O_RDONLY}, {@link Vfs#O_WRONLY} or {@link Vfs#O_RDWR}: {@link #value()} is the descriptor. */
    public VfsRequest open(String path, int flags) {
        set(Vop.OPEN, path).flags = flags;
        return this;
    }

    /** {@link Vop#CLOSE}. */
    public VfsRequest close(int fd) {
        set(Vop.CLOSE, null).fd = fd;
        return this;
    }

    private VfsRequest io(Vop op, int fd, long off, byte[] buf, int bufOff, int len, boolean pages) {
        set(op, null);
        this.fd = fd;
        this.offset = off;
        this.ubuf = buf;
        this.uoff = bufOff;
        this.length = len;
        this.pages = pages;
        return this;
    }

    /** {@link Vop#READ} of up to {@code len} bytes at {@code off} into {@code buf[bufOff..]}: {@link #value()} is the count (0 at the end). */
    public VfsRequest read(int fd, long off, byte[] buf, int bufOff, int len) {
        return io(Vop.READ, fd, off, buf, bufOff, len, false);
    }

    /**
     * {@link Vop#READ} leaving the data in pages for the user to read in place ({@link #xio()}), with no
     * copy in the XIO mode; the pages stay the user's until the request is reused or
     * {@link VfsSession#release released}.
     */
    public VfsRequest readPages(int fd, long off, int len) {
        return io(Vop.READ, fd, off, null, 0, len, true);
    }

    /** {@link Vop#WRITE} of {@code buf[bufOff..bufOff+len)} at {@code off}: {@link #value()} is the count. */
    public VfsRequest write(int fd, long off, byte[] buf, int bufOff, int len) {
        return io(Vop.WRITE, fd, off, buf, bufOff, len, false);
    }

    /**
     * {@link Vop#WRITE} of pages the user filled in place: {@code pages} from
     * {@link VfsSession#pagesForWrite} for the same offset and length. In the XIO mode the file adopts
     * them with no copy.
     */
    public VfsRequest writePages(int fd, long off, Xio pages) {
        io(Vop.WRITE, fd, off, null, 0, pages == null ? -1 : pages.bytes, true);
        this.xio = pages;
        return this;
    }

    /** {@link Vop#TRUNCATE} to {@code length} bytes through a descriptor open for writing. */
    public VfsRequest truncate(int fd, long length) {
        set(Vop.TRUNCATE, null);
        this.fd = fd;
        this.offset = length;
        return this;
    }

    /** {@link Vop#GETATTR}: {@link #attr()}. */
    public VfsRequest getattr(String path) {
        return set(Vop.GETATTR, path);
    }

    /** {@link Vop#READDIR}: the entries after {@code cursor} (null: from the start) into {@link #dirBuffer()}. */
    public VfsRequest readdir(String path, String cursor) {
        set(Vop.READDIR, path).cursor = cursor;
        return this;
    }

    /** {@link Vop#UNLINK}. */
    public VfsRequest unlink(String path) {
        return set(Vop.UNLINK, path);
    }

    /** {@link Vop#RMDIR}. */
    public VfsRequest rmdir(String path) {
        return set(Vop.RMDIR, path);
    }

    /** {@link Vop#RENAME} {@code from} to {@code to}, replacing {@code to} if it exists and may be replaced. */
    public VfsRequest rename(String from, String to) {
        set(Vop.RENAME, from).path2 = to;
        return this;
    }

    /** {@link Vop#FSYNC}: {@link #value()} is the number of dirty pages written back. */
    public VfsRequest fsync(int fd) {
        set(Vop.FSYNC, null).fd = fd;
        return this;
    }

    // ------------------------------------------------------------------ results

    public Vop op() {
        return op;
    }

    /** The outcome ({@link VfsError#OK} or the error). */
    public VfsError status() {
        return verror;
    }

    /** The result: inode number, descriptor, byte count or dirty pages, by operation. */
    public long value() {
        return value;
    }

    /** {@link Vop#GETATTR}'s attributes. */
    public Attr attr() {
        return attr;
    }

    /** {@link Vop#READDIR}'s entries. */
    public DirBuffer dirBuffer() {
        return dir;
    }

    /** The pages of a {@link #readPages} result (offset, length, page handles), or null. */
    public Xio xio() {
        return pagesResult;
    }

    /** Bytes of file data this operation copied, over every layer (user edge, filesystem, copy-on-write). */
    public long bytesCopied() {
        return bytesCopied;
    }

    void reply(VfsError e, long v) {
        verror = e;
        value = v;
    }

    @Override
    public String toString() {
        return "VfsRequest[" + op + (path != null ? " " + path : "") + (path2 != null ? " -> " + path2 : "")
                + (fd >= 0 ? " fd " + fd : "") + ", phase " + phase + ", " + verror + "]";
    }
}
