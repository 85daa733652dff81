package org.lwktlab.vfs;

import java.util.Objects;
import org.lwktlab.lwkt.lock.LockKind;

/**
 * How a {@link Vfs} is built.
 *
 * @param name             label {@code vfs} on its probes (distinguishes two filesystems on one registry)
 * @param dataMode         how data moves in the message design ({@link DataMode#XIO} or
 *                         {@link DataMode#COPY}); the mutex design always copies, once, under the vnode lock
 * @param lockKind         the mutex design's name-cache and rename lock, from the portfolio
 * @param nameCacheEntries name-cache size (per CPU in the message design, in all in the mutex design)
 * @param sfbufSlots       mapping slots per CPU in the message design's sf_buf caches
 * @param dirBatch         entries per {@link Vop#READDIR} batch in each request's {@link DirBuffer}
 * @param readPiecePages   message design: pages a vnode server reads per handler run; a longer read re-queues
 *                         itself between pieces (other requests run in between) and can be cancelled there
 *                         ({@code docs/research.md} §4). The mutex design reads in place, in one go.
 */
public record VfsConfig(String name, DataMode dataMode, LockKind lockKind, int nameCacheEntries, int sfbufSlots,
                        int dirBatch, int readPiecePages) {
    public VfsConfig {
        Objects.requireNonNull(dataMode, "dataMode");
        Objects.requireNonNull(lockKind, "lockKind");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a VFS needs a name (the 'vfs' probe label)");
        }
        if (nameCacheEntries < 4) {
            throw new IllegalArgumentException("nameCacheEntries must be >= 4, got " + nameCacheEntries);
        }
        if (sfbufSlots < 1) {
            throw new IllegalArgumentException("sfbufSlots must be >= 1, got " + sfbufSlots);
        }
        if (dirBatch < 1) {
            throw new IllegalArgumentException("dirBatch must be >= 1, got " + dirBatch);
        }
        if (readPiecePages < 1 || readPiecePages > Xio.MAX_PAGES) {
            throw new IllegalArgumentException("readPiecePages must be 1.." + Xio.MAX_PAGES + " (a read spans at most "
                    + Xio.MAX_PAGES + " pages), got " + readPiecePages);
        }
    }

    /**
     * XIO, reentrant locks, 64 Ki name-cache entries, 1024 mapping slots per CPU, 64 entries per readdir,
     * reads in pieces of 16 pages (64 KiB).
     */
    public static VfsConfig defaults() {
        return new VfsConfig("vfs", DataMode.XIO, LockKind.REENTRANT, 1 << 16, 1024, 64, 16);
    }

    public VfsConfig withName(String n) {
        return new VfsConfig(n, dataMode, lockKind, nameCacheEntries, sfbufSlots, dirBatch, readPiecePages);
    }

    public VfsConfig withDataMode(DataMode m) {
        return new VfsConfig(name, m, lockKind, nameCacheEntries, sfbufSlots, dirBatch, readPiecePages);
    }

    public VfsConfig withLockKind(LockKind k) {
        return new VfsConfig(name, dataMode, k, nameCacheEntries, sfbufSlots, dirBatch, readPiecePages);
    }

    public VfsConfig withNameCacheEntries(int n) {
        return new VfsConfig(name, dataMode, lockKind, n, sfbufSlots, dirBatch, readPiecePages);
    }

    public VfsConfig withSfbufSlots(int n) {
        return new VfsConfig(name, dataMode, lockKind, nameCacheEntries, n, dirBatch, readPiecePages);
    }

    public VfsConfig withDirBatch(int n) {
        return new VfsConfig(name, dataMode, lockKind, nameCacheEntries, sfbufSlots, n, readPiecePages);
    }

    public VfsConfig withReadPiecePages(int n) {
        return new VfsConfig(name, dataMode, lockKind, nameCacheEntries, sfbufSlots, dirBatch, n);
    }
}
