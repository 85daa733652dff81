package org.lwktlab.vfs;

import org.agrona.concurrent.status.AtomicCounter;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * The counters of one writer — a vnode server's CPU in the message design, or a session (one client
 * thread) — registered as probes. Single writer each ({@code incrementRelease}), so counting adds no
 * shared atomic; exporters and reports sum them by name.
 */
final class VfsCounters {
    /** Copies at the user edge (user buffer to or from pages or a kernel buffer). */
    static final String LAYER_USER = "user";
    /** Copies inside the filesystem (kernel buffer to or from file pages, partial-page merges). */
    static final String LAYER_FS = "fs";
    /** Copy-on-write of a page held by an XIO in flight. */
    static final String LAYER_COW = "cow";

    final AtomicCounter[] vops = new AtomicCounter[Vop.all().length];
    final AtomicCounter[] vopErrors = new AtomicCounter[Vop.all().length];
    final AtomicCounter copiedUser;
    final AtomicCounter copiedFs;
    final AtomicCounter copiedCow;
    final AtomicCounter delivered;
    final AtomicCounter sfbufHits;
    final AtomicCounter sfbufInstalls;
    final AtomicCounter sfbufLocalInvalidations;
    final AtomicCounter sfbufRemoteAvoided;
    final AtomicCounter sfbufGrown;
    final AtomicCounter sfbufValidUses;
    final AtomicCounter ncHits;
    final AtomicCounter ncNegativeHits;
    final AtomicCounter ncMisses;
    final AtomicCounter walkHops;
    final AtomicCounter nameLockWaits;
    final AtomicCounter renameRestarts;
    final AtomicCounter xioReleases;
    final AtomicCounter inodesCreated;
    final AtomicCounter inodesFreed;
    final AtomicCounter readPieces;
    final AtomicCounter readsAborted;

    VfsCounters(ProbeRegistry p, Labels l) {
        for (Vop op : Vop.all()) {
            Labels ol = l.and("op", op.label());
            vops[op.ordinal()] = p.counter("lwkt_vfs_vop_total", "Vnode operations handled (message: at this CPU's VOP port; mutex: by this client)", ol);
            vopErrors[op.ordinal()] = p.counter("lwkt_vfs_vop_errors_total", "Vnode operations that ended in an error", ol);
        }
        copiedUser = p.counter("lwkt_vfs_bytes_copied_total", "Bytes of file data copied, by layer", l.and("layer", LAYER_USER));
        copiedFs = p.counter("lwkt_vfs_bytes_copied_total", "Bytes of file data copied, by layer", l.and("layer", LAYER_FS));
        copiedCow = p.counter("lwkt_vfs_bytes_copied_total", "Bytes of file data copied, by layer", l.and("layer", LAYER_COW));
        delivered = p.counter("lwkt_vfs_bytes_delivered_total", "Bytes of file data read into or written from user buffers or pages", l);
        sfbufHits = p.counter("lwkt_vfs_sfbuf_hits_total", "Page mappings found in the sf_buf cache", l);
        sfbufInstalls = p.counter("lwkt_vfs_sfbuf_installs_total", "New page mappings installed (local invalidation, mask = this CPU)", l);
        sfbufLocalInvalidations = p.counter("lwkt_vfs_sfbuf_local_invalidations_total",
                "Local TLB invalidations: one per install, one per first use on a CPU missing from the mask", l);
        sfbufRemoteAvoided = p.counter("lwkt_vfs_sfbuf_remote_invalidations_avoided_total",
                "Remote invalidations a global shoot-down would have sent at install (ncpus-1 each)", l);
        sfbufGrown = p.counter("lwkt_vfs_sfbuf_grown_total", "Mapping slots added because every slot was in use", l);
        sfbufValidUses = p.counter("lwkt_vfs_sfbuf_valid_uses_total", "Uses of a mapping whose cpumask already held the using CPU", l);
        ncHits = p.counter("lwkt_vfs_namecache_hits_total", "Name lookups answered by the name cache", l);
        ncNegativeHits = p.counter("lwkt_vfs_namecache_negative_hits_total", "Name lookups answered by a negative name-cache entry", l);
        ncMisses = p.counter("lwkt_vfs_namecache_misses_total", "Name lookups that searched the directory", l);
        walkHops = p.counter("lwkt_vfs_walk_hops_total", "Times a request moved to another CPU (path walk and protocol steps)", l);
        nameLockWaits = p.counter("lwkt_vfs_namelock_waits_total", "Requests parked on a name locked by a create, rmdir or rename", l);
        renameRestarts = p.counter("lwkt_vfs_rename_restarts_total", "Renames and rmdirs that let go of their locks and started again", l);
        inodesCreated = p.counter("lwkt_vfs_inodes_created_total", "Inodes made (files and directories)", l);
        inodesFreed = p.counter("lwkt_vfs_inodes_freed_total", "Inodes freed (no name left and no descriptor open)", l);
        readPieces = p.counter("lwkt_vfs_read_pieces_total", "Pieces reads were done in (one per vnode-server handler run)", l);
        readsAborted = p.counter("lwkt_vfs_reads_aborted_total",
                "Reads cancelled at a safe point between pieces (replied ABORTED, their pages released)", l);
        xioReleases = p.counter("lwkt_vfs_xio_releases_total", "XIO page lists released back to their owner", l);
    }

    void vop(Vop op, VfsError e) {
        vops[op.ordinal()].incrementRelease();
        if (e != VfsError.OK) {
            vopErrors[op.ordinal()].incrementRelease();
        }
    }
}
