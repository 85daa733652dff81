package org.lwktlab.vfs;

/**
 * Where file data lives: 4 KiB pages named by {@code long} handles (0 is never a page). The VFS asks
 * only for what it needs — allocate, free, and move bytes in and out — so the pages can be off-heap
 * slab pages ({@link SlabPageMemory}) or anything else with the same contract.
 *
 * <p><b>Threads.</b> {@link #alloc()} and {@link #free} are called from the CPU (or thread) doing the
 * work; a page allocated on one CPU may be freed on another (the implementation returns it to its
 * origin). Byte access to one page is never concurrent with a write to it: the VFS guarantees that
 * (vnode locks in the mutex design; ownership and page holds in the message design).
 */
public interface PageMemory {
    /** Bytes per page. */
    int PAGE_SIZE = 4096;
    /** log2 of {@link #PAGE_SIZE}. */
    int PAGE_SHIFT = 12;

    /** A page with undefined contents, or 0 when memory is exhausted. */
    long alloc();

    /** Returns a page. */
    void free(long page);

    /** Copies {@code len} bytes from {@code src[srcOff..]} into the page at {@code off}. */
    void copyIn(long page, int off, byte[] src, int srcOff, int len);

    /** Copies {@code len} bytes of the page from {@code off} into {@code dst[dstOff..]}. */
    void copyOut(long page, int off, byte[] dst, int dstOff, int len);

    /** Copies {@code len} bytes from one page to another. */
    void copy(long from, int fromOff, long to, int toOff, int len);

    /** Zeroes {@code len} bytes of the page from {@code off}. */
    void zero(long page, int off, int len);

    /** The 8 bytes at {@code off} (little-endian), for consumers reading pages in place. */
    long getLong(long page, int off);

    /** Stores 8 bytes at {@code off} (little-endian), for producers filling pages in place. */
    void putLong(long page, int off, long value);

    /** The byte at {@code off}. */
    byte getByte(long page, int off);

    /** Pages allocated and not yet freed, over all CPUs (for leak checks; may lag remote frees in flight). */
    long pagesInUse();
}
