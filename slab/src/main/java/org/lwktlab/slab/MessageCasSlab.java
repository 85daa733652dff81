package org.lwktlab.slab;

import org.lwktlab.ipi.IpiFunction;
import org.lwktlab.lwkt.Kernel;

/**
 * Design {@code message-cas}: DragonFly's own remote {@code kfree} (dragonfly.md §5). The freeing CPU
 * <ol>
 *   <li>claims the chunk (CAS of its generation — so a double free cannot enter the lock-free list;
 *       DragonFly leaves that to {@code INVARIANTS});</li>
 *   <li>reads the zone's {@code RSignal}; if set, pins the zone ({@code RCount++});</li>
 *   <li>CAS-pushes the chunk onto the zone's remote list {@code RChunks};</li>
 *   <li>only if its push made the list non-empty and the zone has signalled (the pin, or a re-read of
 *       {@code RSignal} after the push), sends the owner a passive {@code kfree_remote} IPI, which drops
 *       the pin; otherwise drops its own pin.</li>
 * </ol>
 * The owner sets {@code RSignal} when a zone runs out of local chunks, then swaps the remote list in;
 * a freer whose push follows that swap re-reads {@code RSignal} as set (the swap and the CAS order them),
 * so a zone is never left unlinked with chunks waiting and no IPI on the way. Zones still holding local
 * chunks collect remote frees silently and pull them in when they run out: "virtually no IPI traffic".
 *
 * <p><b>Invariants</b> (§9.17): a remotely freed chunk is reused only by its owner, and eventually is;
 * no zone is retired or returned while pinned or while its remote list is non-empty.
 */
final class MessageCasSlab extends PerCpuSlab {
    private static final IpiFunction KFREE_REMOTE = (cpu, arg, arg2) -> {
        MessageCasSlab s = (MessageCasSlab) arg;
        s.sets[cpu].kfreeRemote(s.pool.zones[(int) (arg2 >>> 1)], (arg2 & 1) != 0);
    };

    MessageCasSlab(Kernel kernel, SlabConfig config) {
        super("message-cas", kernel, config, true);
        this.sweepCountdown = new int[ncpus * 16];
    }

    @Override
    void freeRemote(int me, int owner, SlabZone z, long h) {
        final int i = claim(z, h);
        final int size = z.chunkSize; // after the push the zone may be retired and re-carved at any time
        final boolean pinned = (int) SlabZone.RSIGNAL.getAcquire(z) != 0;
        if (pinned) {
            SlabZone.RCOUNT.getAndAdd(z, 1);
        }
        int old;
        do {
            old = (int) SlabZone.RHEAD.getVolatile(z);
            z.next[i] = old < 0 ? SlabZone.NIL : (char) old;
        } while (!SlabZone.RHEAD.compareAndSet(z, old, i));
        counters[me].remoteFree();
        counters[me].free(size); // the chunk is free from here on; its owner pulls it in later
        if (old < 0 && (pinned || (int) SlabZone.RSIGNAL.getVolatile(z) != 0)) {
            counters[me].remoteFreeIpi();
            fabric.sendPassive(me, owner, KFREE_REMOTE, this, ((long) z.index << 1) | (pinned ? 1 : 0));
        } else if (pinned) {
            SlabZone.RCOUNT.getAndAdd(z, -1);
        }
    }

    /** Steps between two {@code slab_cleanup} sweeps of a CPU's linked zones. */
    static final int SWEEP_EVERY = 256;

    private final int[] sweepCountdown; // per CPU, a cache line apart

    @Override
    void sweep(int me) {
        final int k = me * 16;
        if (--sweepCountdown[k] <= 0) {
            sweepCountdown[k] = SWEEP_EVERY;
            sets[me].cleanup();
        }
    }

    @Override
    void flush(int me) {
        // nothing is batched: each remote free is on its zone's list the moment it returns
    }
}
