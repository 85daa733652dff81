package org.lwktlab.vfs;

import static org.lwktlab.vfs.PageMemory.PAGE_SHIFT;
import static org.lwktlab.vfs.PageMemory.PAGE_SIZE;

import java.util.Arrays;

/**
 * A regular file's bytes: a length and an array of page handles (0 = a hole, read as zeros), with a
 * dirty bit per page for {@link Vop#FSYNC}.
 *
 * <p><b>Invariants.</b> Bytes of resident pages beyond {@link #size} are zero (fresh pages are zeroed
 * where a write does not cover them, and shrinking zeroes the kept page's tail), so extending a file
 * shows zeros. A page held by an XIO in flight is never written in place: a write copies it first
 * (copy-on-write, counted) and the file lets the held page go.
 *
 * <p><b>Threads.</b> Whoever owns the inode: its CPU in the message design; a thread holding the vnode
 * lock in the mutex design (shared for reads, exclusive otherwise).
 */
final class FileData {
    /** Largest file: 4 GiB. */
    static final long MAX_SIZE = 1L << 32;
    private static final int MASK = PAGE_SIZE - 1;
    private static final long[] NONE = new long[0];

    long size;
    private long[] pages = NONE;
    private long[] dirty = NONE;
    private int resident;
    private int dirtyCount;

    long residentPages() {
        return resident;
    }

    int dirtyPages() {
        return dirtyCount;
    }

    private long pageAt(int i) {
        return i < pages.length ? pages[i] : 0;
    }

    private void grow(int npages) {
        if (npages > pages.length) {
            int n = Math.max(npages, Math.max(4, pages.length * 2));
            pages = Arrays.copyOf(pages, n);
            dirty = Arrays.copyOf(dirty, (n + 63) >>> 6);
        }
    }

    private void setPage(int i, long p) {
        long old = pages[i];
        if (old == 0 && p != 0) {
            resident++;
        } else if (old != 0 && p == 0) {
            resident--;
        }
        pages[i] = p;
    }

    private void markDirty(int i) {
        long bit = 1L << i;
        if ((dirty[i >>> 6] & bit) == 0) {
            dirty[i >>> 6] |= bit;
            dirtyCount++;
        }
    }

    private void clearDirty(int i) {
        long bit = 1L << i;
        if ((dirty[i >>> 6] & bit) != 0) {
            dirty[i >>> 6] &= ~bit;
            dirtyCount--;
        }
    }

    /** Lets page {@code i} go (freed now or at its last hold). */
    private void dropPage(PageContext c, int i) {
        long p = pages[i];
        if (p != 0) {
            c.drop(p);
            setPage(i, 0);
            clearDirty(i);
        }
    }

    /**
     * Copies file bytes {@code [off, off+len)} (clamped at the end of the file) into {@code dst}.
     *
     * @param fsLayer count the copy as the filesystem's (into a kernel buffer) rather than the user edge's
     * @return bytes read, 0 at or past the end
     */
    int read(PageContext c, long off, byte[] dst, int dstOff, int len, boolean fsLayer) {
        return read(c, off, dst, dstOff, len, null, fsLayer);
    }

    /** Bytes from {@code off} readable now, at most {@code len}. */
    int readable(long off, int len) {
        return off >= size ? 0 : (int) Math.min(len, size - off);
    }

    /**
     * Copies file bytes into the pages of {@code x}, laid out for {@code off} and {@link #readable} bytes
     * (the user-visible pages of a read in a copying design).
     */
    int readToPages(PageContext c, long off, Xio x) {
        return read(c, off, null, 0, x.bytes, x, false);
    }

    private int read(PageContext c, long off, byte[] dst, int dstOff, int len, Xio x, boolean fsLayer) {
        if (off >= size) {
            return 0;
        }
        int n = (int) Math.min(len, size - off);
        int first = (int) (off >>> PAGE_SHIFT);
        int done = 0;
        while (done < n) {
            long pos = off + done;
            int po = (int) (pos & MASK);
            int k = Math.min(PAGE_SIZE - po, n - done);
            int idx = (int) (pos >>> PAGE_SHIFT);
            long p = pageAt(idx);
            if (p == 0) {
                if (x == null) {
                    Arrays.fill(dst, dstOff + done, dstOff + done + k, (byte) 0);
                } else {
                    c.mem.zero(x.pages[idx - first], po, k);
                }
            } else {
                SfBuf s = c.map(p);
                if (x == null) {
                    c.mem.copyOut(p, po, dst, dstOff + done, k);
                } else {
                    c.mem.copy(p, po, x.pages[idx - first], po, k);
                }
                c.unmap(s);
            }
            done += k;
        }
        (fsLayer ? c.counters.copiedFs : c.counters.copiedUser).getAndAddRelease(n);
        return n;
    }

    /**
     * Copies {@code len} bytes of {@code src} into the file at {@code off}, allocating pages for holes
     * and copying held pages first. All or nothing: {@link VfsError#ENOSPC} changes nothing.
     */
    VfsError write(PageContext c, long off, byte[] src, int srcOff, int len, boolean fsLayer) {
        return write(c, off, src, srcOff, len, null, fsLayer);
    }

    /** Copies the data of {@code x} (pages laid out for {@code off}) into the file; see {@link #write}. */
    VfsError writeFromPages(PageContext c, long off, Xio x) {
        return write(c, off, null, 0, x.bytes, x, false);
    }

    private VfsError write(PageContext c, long off, byte[] src, int srcOff, int len, Xio x, boolean fsLayer) {
        if (len == 0) {
            return VfsError.OK;
        }
        long end = off + len;
        if (end > MAX_SIZE) {
            return VfsError.EINVAL;
        }
        int first = (int) (off >>> PAGE_SHIFT);
        int last = (int) ((end - 1) >>> PAGE_SHIFT);
        grow(last + 1);
        long[] fresh = c.scratch;
        int need = 0;
        for (int i = first; i <= last; i++) {
            long p = pages[i];
            if (p == 0 || c.held(p)) {
                need++;
            }
        }
        if (!c.allocInto(fresh, need)) {
            return VfsError.ENOSPC;
        }
        int used = 0;
        int done = 0;
        for (int i = first; i <= last; i++) {
            long pos = off + done;
            int a = (int) (pos & MASK);
            int k = Math.min(PAGE_SIZE - a, len - done);
            long p = pages[i];
            if (p == 0) {
                p = fresh[used++];
                c.mem.zero(p, 0, a);
                c.mem.zero(p, a + k, PAGE_SIZE - a - k);
                setPage(i, p);
            } else if (c.held(p)) {
                p = copyOnWrite(c, i, p, fresh[used++]);
            }
            SfBuf s = c.map(p);
            if (x == null) {
                c.mem.copyIn(p, a, src, srcOff + done, k);
            } else {
                c.mem.copy(x.pages[i - first], a, p, a, k);
            }
            c.unmap(s);
            markDirty(i);
            done += k;
        }
        if (end > size) {
            size = end;
        }
        (fsLayer ? c.counters.copiedFs : c.counters.copiedUser).getAndAddRelease(len);
        return VfsError.OK;
    }

    private long copyOnWrite(PageContext c, int i, long held, long fresh) {
        SfBuf s = c.map(held);
        c.mem.copy(held, 0, fresh, 0, PAGE_SIZE);
        c.unmap(s);
        c.counters.copiedCow.getAndAddRelease(PAGE_SIZE);
        c.drop(held);
        pages[i] = fresh;
        return fresh;
    }

    /**
     * Lays {@code x} out for a read of {@code n} bytes at {@code off} ({@link #readable} bytes), holding no
     * page yet: {@link #readXioPages} then fills it, a piece at a time.
     */
    void readXioBegin(PageContext c, long off, int n, Xio x) {
        x.clear();
        x.holding(c.cpu);
        x.offset = (int) (off & MASK);
        x.bytes = n;
    }

    /**
     * Extends {@code x} (laid out by {@link #readXioBegin} for a read at {@code off}) to its first
     * {@code upTo} pages with held references to the file's pages (holes show the zero page), each mapped
     * in the owner CPU's cache. Copies nothing.
     */
    void readXioPages(PageContext c, long off, Xio x, int upTo) {
        int first = (int) (off >>> PAGE_SHIFT);
        for (int j = x.npages; j < upTo; j++) {
            long p = pageAt(first + j);
            if (p == 0) {
                p = c.zeroPage;
            }
            c.hold(p);
            x.pages[j] = p;
            x.sfbufs[j] = c.sf.alloc(p);
        }
        x.npages = Math.max(x.npages, upTo);
    }

    /**
     * Takes the data of a write XIO whose first page is laid out at {@code off}'s offset: adopts every
     * page that is wholly covered, or that fills a hole (zeroing what the write does not cover), and
     * merges by copy only into partly covered pages that already hold data. Adopted entries are zeroed in
     * {@code x}; what is left there is the caller's to free. All or nothing on {@link VfsError#ENOSPC}.
     */
    VfsError writeXio(PageContext c, long off, Xio x) {
        int len = x.bytes;
        if (len == 0) {
            return VfsError.OK;
        }
        long end = off + len;
        if (end > MAX_SIZE) {
            return VfsError.EINVAL;
        }
        if (x.offset != (int) (off & MASK)) {
            throw new IllegalArgumentException("write XIO laid out at offset " + x.offset + " for file offset " + off);
        }
        int first = (int) (off >>> PAGE_SHIFT);
        int n = x.npages;
        grow(first + n);
        long[] fresh = c.scratch;
        int need = 0;
        for (int j = 0; j < n; j++) {
            long fp = pages[first + j];
            if (fp != 0 && !covers(x, j, n) && c.held(fp)) {
                need++;
            }
        }
        if (!c.allocInto(fresh, need)) {
            return VfsError.ENOSPC;
        }
        int used = 0;
        for (int j = 0; j < n; j++) {
            int i = first + j;
            int a = j == 0 ? x.offset : 0;
            int b = j == n - 1 ? (int) (((x.offset + (long) len - 1) & MASK) + 1) : PAGE_SIZE;
            long xp = x.pages[j];
            long fp = pages[i];
            if (covers(x, j, n) || fp == 0) {
                if (fp == 0) {
                    c.mem.zero(xp, 0, a);
                    c.mem.zero(xp, b, PAGE_SIZE - b);
                } else {
                    c.drop(fp);
                    setPage(i, 0);
                }
                setPage(i, xp);
                x.pages[j] = 0;
            } else {
                if (c.held(fp)) {
                    fp = copyOnWrite(c, i, fp, fresh[used++]);
                }
                SfBuf s = c.map(fp);
                c.mem.copy(xp, a, fp, a, b - a);
                c.unmap(s);
                c.counters.copiedFs.getAndAddRelease(b - a);
            }
            markDirty(i);
        }
        if (end > size) {
            size = end;
        }
        return VfsError.OK;
    }

    private static boolean covers(Xio x, int j, int n) {
        int a = j == 0 ? x.offset : 0;
        int b = j == n - 1 ? (int) (((x.offset + (long) x.bytes - 1) & MASK) + 1) : PAGE_SIZE;
        return a == 0 && b == PAGE_SIZE;
    }

    /** Sets the length: shrinking frees the pages past it and zeroes the kept page's tail; growing makes a hole. */
    VfsError truncate(PageContext c, long len) {
        if (len < 0 || len > MAX_SIZE) {
            return VfsError.EINVAL;
        }
        if (len < size) {
            int tail = (int) (len & MASK);
            int keep = (int) ((len + PAGE_SIZE - 1) >>> PAGE_SHIFT);
            if (tail != 0) {
                long p = pageAt(keep - 1);
                if (p != 0) {
                    if (c.held(p)) {
                        if (!c.allocInto(c.scratch, 1)) {
                            return VfsError.ENOSPC;
                        }
                        p = copyOnWrite(c, keep - 1, p, c.scratch[0]);
                    }
                    SfBuf s = c.map(p);
                    c.mem.zero(p, tail, PAGE_SIZE - tail);
                    c.unmap(s);
                    markDirty(keep - 1);
                }
            }
            for (int i = keep; i < pages.length; i++) {
                dropPage(c, i);
            }
        }
        size = len;
        return VfsError.OK;
    }

    /** Lets every page go (the inode is being freed). */
    void freeAll(PageContext c) {
        for (int i = 0; i < pages.length; i++) {
            dropPage(c, i);
        }
        size = 0;
    }

    /** Writes dirty pages back: here, counts and cleans them. */
    int fsync() {
        int n = dirtyCount;
        Arrays.fill(dirty, 0L);
        dirtyCount = 0;
        return n;
    }
}
