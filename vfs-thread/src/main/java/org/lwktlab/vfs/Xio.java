package org.lwktlab.vfs;

import org.lwktlab.ipi.SubmittedIpi;

/**
 * An XIO ({@code struct xio}): a list of page references with the byte offset into the first page and
 * the byte count — file data named by page, not by address, so it travels inside a message to any CPU
 * with no copy.
 *
 * <ul>
 *   <li><b>Read:</b> the vnode's owner CPU fills it with the file's own pages, each held (so truncate or
 *       overwrite cannot free or change it under the reader: an overwrite copies the page first) and
 *       mapped in the owner's {@link SfBufCache}. The reader maps each page on its own CPU through the
 *       mapping's cpumask, copies out or consumes in place, then sends the XIO back to the owner by
 *       passive IPI, which drops the holds and mapping references.</li>
 *   <li><b>Write:</b> the writer's CPU allocates fresh pages laid out like the file's (same offset in the
 *       first page), fills them, and the owner adopts whole pages into the file by reference; only
 *       partly covered pages that already hold data are merged by copying.</li>
 * </ul>
 *
 * <p><b>Ownership.</b> A session owns its XIOs; an XIO is in the owner CPU's hands between the request
 * and the reply, and again between a release and {@link #released()} turning true. Fields are plain:
 * every hand-off is a message or IPI, which orders them.
 */
public final class Xio implements SubmittedIpi {
    /** Pages in the largest transfer ({@link VfsSession#MAX_IO} bytes at any offset). */
    public static final int MAX_PAGES = (VfsSession.MAX_IO >>> PageMemory.PAGE_SHIFT) + 1;

    final long[] pages = new long[MAX_PAGES];
    final SfBuf[] sfbufs = new SfBuf[MAX_PAGES];
    int npages;
    int offset;
    int bytes;
    /** CPU whose pages (and mappings) these are while held; -1 when nothing is held. */
    int ownerCpu = -1;
    /** Next in the owner's release list. */
    Xio releaseNext;
    private volatile boolean released = true;
    final MessageVfs vfs;

    Xio(MessageVfs vfs) {
        this.vfs = vfs;
    }

    /** Pages in the list. */
    public int pageCount() {
        return npages;
    }

    /** Byte offset of the data in the first page. */
    public int offset() {
        return offset;
    }

    /** Bytes of data. */
    public int bytes() {
        return bytes;
    }

    /** The handle of page {@code i} (see {@link PageMemory}). */
    public long page(int i) {
        if (i < 0 || i >= npages) {
            throw new IndexOutOfBoundsException("page " + i + " of an XIO of " + npages);
        }
        return pages[i];
    }

    /** True when no pages are held for it: the session may reuse it. */
    boolean released() {
        return released;
    }

    void clear() {
        for (int i = 0; i < npages; i++) {
            pages[i] = 0;
            sfbufs[i] = null;
        }
        npages = 0;
        offset = 0;
        bytes = 0;
        ownerCpu = -1;
    }

    /** A session takes it for a request. */
    void claim() {
        released = false;
    }

    /** The owner starts holding pages for this XIO. */
    void holding(int cpu) {
        ownerCpu = cpu;
    }

    /** The owner dropped every hold: the session may reuse it. */
    void markReleased() {
        clear();
        released = true;
    }

    /** Delivery of a release from a thread outside the kernel (submission queue). */
    @Override
    public void ipi(int cpu) {
        vfs.server(cpu).queueRelease(this);
    }
}
