package org.lwktlab.slab;

import org.lwktlab.ipi.IpiFunction;
import org.lwktlab.lwkt.Kernel;

/**
 * Design {@code message}: return-to-origin free by pure message passing. A CPU freeing a chunk another
 * CPU owns appends the handle to its {@link RemoteFreeBatch} for that owner; the batch travels home in
 * one passive IPI when it holds {@code remoteBatch} frees, or at the end of the current dispatch step
 * (the CPU's step hook), whichever comes first. The owner verifies and applies each free in IPI context,
 * remote chunks going to the tail of the zone's local list.
 *
 * <p><b>Invariants.</b> Nothing in this design is shared between CPUs but the IPI rings: a CPU's
 * outbox is touched only by that CPU, a zone only by its owner; so there is no lock and no atomic on any
 * path (in checked mode, the claim CAS at the freer). Every remote free reaches its owner: a batch is
 * sent when it fills, and every step that filled one flushes it before the CPU idles or stops. A zone is
 * never returned to the pool inside the IPI that applies frees — only at the end of a step.
 */
final class MessageSlab extends PerCpuSlab {
    private static final IpiFunction APPLY = (cpu, arg, arg2) -> {
        RemoteFreeBatch b = (RemoteFreeBatch) arg;
        b.slab.apply(cpu, b);
    };

    private final Outbox[] outboxes;
    private final ObjCache<RemoteFreeBatch> batches;
    private final int batchSize;

    /** One CPU's pending batches, by owner. Padded: CPUs write their own outboxes on every remote free. */
    static final class Outbox extends OutboxFields {
        @SuppressWarnings("unused")
        private long q0, q1, q2, q3, q4, q5, q6, q7;

        Outbox(int ncpus) {
            super(ncpus);
        }
    }

    abstract static class OutboxPad {
        @SuppressWarnings("unused")
        private long p0, p1, p2, p3, p4, p5, p6, p7;
    }

    abstract static class OutboxFields extends OutboxPad {
        final RemoteFreeBatch[] byOwner;
        long mask;

        OutboxFields(int ncpus) {
            byOwner = new RemoteFreeBatch[ncpus];
        }
    }

    MessageSlab(Kernel kernel, SlabConfig config) {
        super("message", kernel, config, false);
        this.batchSize = config.remoteBatch();
        this.outboxes = new Outbox[ncpus];
        for (int i = 0; i < ncpus; i++) {
            outboxes[i] = new Outbox(ncpus);
        }
        this.batches = ObjCache.builder(config.name() + "-remote-free-batches", () -> new RemoteFreeBatch(this, batchSize))
                .magazineCapacity(config.magazineCapacity()).build(kernel);
    }

    @Override
    void freeRemote(int me, int owner, SlabZone z, long h) {
        if (checked) {
            claim(z, h);
        }
        final Outbox o = outboxes[me];
        RemoteFreeBatch b = o.byOwner[owner];
        if (b == null) {
            b = batches.get();
            o.byOwner[owner] = b;
            o.mask |= 1L << owner;
        }
        b.handles[b.n++] = h;
        counters[me].remoteFree();
        if (b.n == batchSize) {
            send(me, o, owner);
        }
    }

    /** Detaches the batch before sending: a nested drain while the ring is full may run frees here. */
    private void send(int me, Outbox o, int owner) {
        RemoteFreeBatch b = o.byOwner[owner];
        o.byOwner[owner] = null;
        o.mask &= ~(1L << owner);
        counters[me].remoteFreeIpi();
        fabric.sendPassive(me, owner, APPLY, b, 0);
    }

    /** Re-reads the mask after each send: a nested drain while a ring is full may free (and batch) more. */
    @Override
    void flush(int me) {
        final Outbox o = outboxes[me];
        long m;
        while ((m = o.mask) != 0) {
            send(me, o, Long.numberOfTrailingZeros(m));
        }
    }

    private void apply(int cpu, RemoteFreeBatch b) {
        final long[] hs = b.handles;
        for (int k = 0, n = b.n; k < n; k++) {
            applyRemote(cpu, hs[k], checked);
        }
        b.n = 0;
        batches.put(b);
    }

    @Override
    void closeCaches() {
        super.closeCaches();
        batches.close();
    }
}
