package org.lwktlab.vfs;

import org.agrona.collections.Long2LongHashMap;

/**
 * What file-data code needs from the CPU (message design) or thread (mutex design) running it: the
 * page memory, this writer's counters, and — in the message design — the CPU's sf_buf cache and the
 * holds on its pages.
 *
 * <p><b>Holds</b> ({@code vm_page_hold}): a page referenced by an XIO in flight is held; the file may
 * drop it (truncate, overwrite by copy-on-write, unlink) but it is freed only when the last hold goes.
 * The hold table maps page → count, with {@link #ORPHAN} set once no file references the page. Only the
 * owning CPU touches it; remote holders release by sending the XIO back (passive IPI).
 *
 * <p><b>Threads.</b> One writer: the owning CPU or thread.
 */
final class PageContext {
    /** Set in a hold count once the page has left its file: free it when the holds reach zero. */
    static final long ORPHAN = 1L << 62;

    final PageMemory mem;
    final int cpu;
    final VfsCounters counters;
    /** The CPU's mapping cache; null in the mutex design (which maps nothing: it copies under locks). */
    final SfBufCache sf;
    /** Page holds by XIOs in flight; null in the mutex design. */
    private final Long2LongHashMap holds;
    /** A page of zeros, never freed or written: what an XIO shows for a hole. */
    final long zeroPage;
    /** Pages allocated ahead of a write, so a write either gets all it needs or changes nothing. */
    final long[] scratch = new long[Xio.MAX_PAGES + 1];

    PageContext(PageMemory mem, int cpu, VfsCounters counters, SfBufCache sf, boolean holdsPages, long zeroPage) {
        this.mem = mem;
        this.cpu = cpu;
        this.counters = counters;
        this.sf = sf;
        this.holds = holdsPages ? new Long2LongHashMap(0L) : null;
        this.zeroPage = zeroPage;
    }

    /** True if an XIO in flight holds {@code page}: it must not be written in place. */
    boolean held(long page) {
        return holds != null && holds.get(page) != 0;
    }

    void hold(long page) {
        if (page == zeroPage) {
            return;
        }
        holds.put(page, holds.get(page) + 1);
    }

    /** Drops one hold; frees the page if it was the last and the page has left its file. */
    void unhold(long page) {
        if (page == zeroPage) {
            return;
        }
        long v = holds.get(page);
        if ((v & ~ORPHAN) == 0) {
            throw new IllegalStateException("page " + Long.toHexString(page) + " on cpu " + cpu + " released more often than held");
        }
        v--;
        if ((v & ~ORPHAN) == 0) {
            holds.remove(page);
            if ((v & ORPHAN) != 0) {
                freeNow(page);
            }
        } else {
            holds.put(page, v);
        }
    }

    /** The file no longer references {@code page}: free it now, or when its last hold goes. */
    void drop(long page) {
        if (page == 0 || page == zeroPage) {
            return;
        }
        long v = holds == null ? 0 : holds.get(page);
        if (v != 0) {
            holds.put(page, v | ORPHAN);
        } else {
            freeNow(page);
        }
    }

    /** A page allocated here, or 0 when memory is exhausted. */
    long alloc() {
        return mem.alloc();
    }

    /** Allocates {@code n} pages into {@code into[0..n)}: all of them, or none (then false). */
    boolean allocInto(long[] into, int n) {
        for (int i = 0; i < n; i++) {
            long p = mem.alloc();
            if (p == 0) {
                for (int j = 0; j < i; j++) {
                    mem.free(into[j]);
                }
                return false;
            }
            into[i] = p;
        }
        return true;
    }

    private void freeNow(long page) {
        if (sf != null) {
            sf.pageFreed(page);
        }
        mem.free(page);
    }

    /** Pages held now (for leak checks). */
    int heldPages() {
        return holds == null ? 0 : holds.size();
    }

    /** Maps a page for access on this CPU, counting the TLB work; pair with {@link #unmap}. */
    SfBuf map(long page) {
        if (sf == null) {
            return null;
        }
        SfBuf s = sf.alloc(page);
        if (s.useOn(cpu)) {
            counters.sfbufLocalInvalidations.incrementRelease();
        } else {
            counters.sfbufValidUses.incrementRelease();
        }
        return s;
    }

    void unmap(SfBuf s) {
        if (s != null) {
            sf.release(s);
        }
    }
}
