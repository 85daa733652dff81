package org.lwktlab.vfs;

import org.agrona.collections.Long2ObjectHashMap;

/**
 * One CPU's page-mapping cache (the 2004 {@code sf_buf} hash with its lazy LRU freelist): a page that
 * is mapped stays mapped after its last user lets go, so mapping it again is a hash hit; a new mapping
 * reuses the least recently released slot.
 *
 * <p>Installs use the {@code SFBA_QUICK} discipline: a local invalidation and mask = {this CPU}, counted
 * together with the remote invalidations a global shoot-down would have sent (one to every other CPU).
 * If every slot is referenced the cache grows (DragonFly would sleep in {@code sf_buf_alloc}; a CPU here
 * never blocks) and counts it.
 *
 * <p><b>Threads.</b> Owner CPU only (the message design's vnode server, and clients running on that CPU).
 */
final class SfBufCache {
    private final int cpu;
    private final int ncpus;
    private final Long2ObjectHashMap<SfBuf> byPage = new Long2ObjectHashMap<>();
    private final VfsCounters counters;
    private SfBuf lruHead;
    private SfBuf lruTail;
    private int slots;

    SfBufCache(int cpu, int ncpus, int capacity, VfsCounters counters) {
        this.cpu = cpu;
        this.ncpus = ncpus;
        this.counters = counters;
        for (int i = 0; i < capacity; i++) {
            lruAppend(new SfBuf(slots++, cpu));
        }
    }

    /** Maps {@code page} (or finds its mapping) and takes a reference ({@code sf_buf_alloc}). */
    SfBuf alloc(long page) {
        SfBuf sf = byPage.get(page);
        if (sf != null) {
            if (sf.refs++ == 0) {
                lruRemove(sf);
            }
            counters.sfbufHits.incrementRelease();
            return sf;
        }
        sf = lruHead;
        if (sf == null) {
            sf = new SfBuf(slots++, cpu);
            counters.sfbufGrown.incrementRelease();
        } else {
            lruRemove(sf);
            if (sf.page != 0) {
                byPage.remove(sf.page);
            }
        }
        sf.install(page, cpu);
        sf.refs = 1;
        byPage.put(page, sf);
        counters.sfbufInstalls.incrementRelease();
        counters.sfbufLocalInvalidations.incrementRelease();
        counters.sfbufRemoteAvoided.getAndAddRelease(ncpus - 1);
        return sf;
    }

    /** Drops a reference ({@code sf_buf_free}); the mapping stays cached. */
    void release(SfBuf sf) {
        if (sf.refs <= 0) {
            throw new IllegalStateException("sf_buf slot " + sf.slot + " on cpu " + cpu + " released more often than referenced");
        }
        if (--sf.refs == 0) {
            lruAppend(sf);
        }
    }

    /** The page is being freed: forget its mapping (it has no users — freed pages are never held). */
    void pageFreed(long page) {
        SfBuf sf = byPage.remove(page);
        if (sf != null) {
            if (sf.refs != 0) {
                throw new IllegalStateException("page freed while mapped and in use on cpu " + cpu);
            }
            sf.page = 0;
            lruRemove(sf);
            lruPrepend(sf);
        }
    }

    /** Slots now (the initial capacity plus any growth). */
    int slots() {
        return slots;
    }

    /** Mappings referenced now (for leak checks at shutdown). */
    int referenced() {
        int free = 0;
        for (SfBuf s = lruHead; s != null; s = s.lruNext) {
            free++;
        }
        return slots - free;
    }

    private void lruAppend(SfBuf sf) {
        sf.lruNext = null;
        sf.lruPrev = lruTail;
        if (lruTail == null) {
            lruHead = sf;
        } else {
            lruTail.lruNext = sf;
        }
        lruTail = sf;
    }

    private void lruPrepend(SfBuf sf) {
        sf.lruPrev = null;
        sf.lruNext = lruHead;
        if (lruHead == null) {
            lruTail = sf;
        } else {
            lruHead.lruPrev = sf;
        }
        lruHead = sf;
    }

    private void lruRemove(SfBuf sf) {
        if (sf.lruPrev == null) {
            lruHead = sf.lruNext;
        } else {
            sf.lruPrev.lruNext = sf.lruNext;
        }
        if (sf.lruNext == null) {
            lruTail = sf.lruPrev;
        } else {
            sf.lruNext.lruPrev = sf.lruPrev;
        }
        sf.lruPrev = null;
        sf.lruNext = null;
    }
}
