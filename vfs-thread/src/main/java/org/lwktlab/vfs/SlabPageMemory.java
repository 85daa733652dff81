package org.lwktlab.vfs;

import org.lwktlab.slab.Slab;

/**
 * {@link PageMemory} over a {@link Slab}'s 4 KiB page class: off-heap pages with {@code long} handles,
 * allocated from the calling CPU's zone, and — in the per-CPU slab designs — returned to the zone that
 * gave them out when freed elsewhere (a page a client filled on its CPU and the file's owner frees on
 * its own goes home by the slab's remote-free path).
 */
public final class SlabPageMemory implements PageMemory {
    private final Slab slab;

    public SlabPageMemory(Slab slab) {
        if (Slab.PAGE_SIZE != PAGE_SIZE) {
            throw new IllegalArgumentException("slab pages are " + Slab.PAGE_SIZE + " B; the VFS needs " + PAGE_SIZE + " B");
        }
        this.slab = slab;
    }

    public Slab slab() {
        return slab;
    }

    @Override
    public long alloc() {
        return slab.tryAlloc(PAGE_SIZE);
    }

    @Override
    public void free(long page) {
        slab.free(page);
    }

    @Override
    public void copyIn(long page, int off, byte[] src, int srcOff, int len) {
        slab.copyFrom(src, srcOff, page, off, len);
    }

    @Override
    public void copyOut(long page, int off, byte[] dst, int dstOff, int len) {
        slab.copyTo(page, off, dst, dstOff, len);
    }

    @Override
    public void copy(long from, int fromOff, long to, int toOff, int len) {
        slab.copy(from, fromOff, to, toOff, len);
    }

    @Override
    public void zero(long page, int off, int len) {
        if (len > 0) {
            slab.fill(page, off, len, (byte) 0);
        }
    }

    @Override
    public long getLong(long page, int off) {
        return slab.getLong(page, off);
    }

    @Override
    public void putLong(long page, int off, long value) {
        slab.putLong(page, off, value);
    }

    @Override
    public byte getByte(long page, int off) {
        return slab.getByte(page, off);
    }

    @Override
    public long pagesInUse() {
        return slab.stats().bytesInUse() / PAGE_SIZE;
    }
}
