package org.lwktlab.slab;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.lwktlab.ipi.IpiFabric;
import org.lwktlab.ipi.SubmittedIpi;
import org.lwktlab.lwkt.Cpu;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.ShutdownParticipant;
import org.lwktlab.lwkt.ShutdownReport;
import org.lwktlab.slab.SlabMisuseException.Kind;

/**
 * The per-CPU designs' common part: CPU {@code i} owns zone set {@code i}, allocates from it with no
 * lock and no atomic, and frees its own chunks straight into it. How a chunk freed on another CPU gets
 * home is the design ({@link MessageSlab}, {@link MessageCasSlab}).
 *
 * <p><b>Outside threads.</b> {@code alloc} from a thread outside the kernel submits a request to a CPU
 * (the thread's id modulo the CPU count) and parks until that CPU has allocated — the chunk is then
 * that CPU's. {@code free} from outside submits a carrier (pooled in an {@link ObjCache}) to the owner's
 * submission queue and returns at once; the owner verifies and applies it.
 *
 * <p><b>End of step.</b> Each CPU's step hook flushes what the design batched and returns surplus free
 * zones to the page pool — the one place zones go back, since it is never inside an IPI function.
 */
abstract class PerCpuSlab extends ArenaSlab {
    final IpiFabric fabric;
    /** Whether frees claim the chunk by CAS at the caller (checked mode, or {@code message-cas}). */
    final boolean claimAtCaller;
    private final ObjCache<OutsideFree> outsideFrees;
    private final ThreadLocal<OutsideAlloc> outsideAllocs;
    /** How long the leak report waits for a CPU to list its chunks (real CPUs; a simulation is driven). */
    private static final Duration LEAK_LIST_LIMIT = Duration.ofSeconds(10);

    PerCpuSlab(String design, Kernel kernel, SlabConfig config, boolean casRemote) {
        super(design, kernel, config, kernel.ncpus(), "cpu", casRemote);
        this.fabric = kernel.fabric();
        this.claimAtCaller = casRemote || config.checked();
        this.outsideFrees = ObjCache.builder(config.name() + "-outside-frees", () -> new OutsideFree(this))
                .magazineCapacity(config.magazineCapacity()).build(kernel);
        this.outsideAllocs = ThreadLocal.withInitial(() -> new OutsideAlloc(this));
        for (int i = 0; i < ncpus; i++) {
            kernel.cpu(i).addStepHook(this::endOfStep);
        }
        participate(new ShutdownParticipant() {
            @Override
            public void onCpuShutdown(Cpu cpu, ShutdownReport.Builder report) {
                flush(cpu.id());
                sets[cpu.id()].pullAllRemote();
            }

            @Override
            public void onShutdown(ShutdownReport.Builder report) {
                reportLeaks(report);
            }

            @Override
            public String toString() {
                return PerCpuSlab.this.toString();
            }
        });
    }

    // ------------------------------------------------------------------ alloc

    @Override
    public final long tryAlloc(int size) {
        final int cls = classOf(size);
        final int me = callerSlot();
        if (me < ncpus) {
            return allocOn(me, cls);
        }
        return outsideAllocs.get().run((int) (Thread.currentThread().threadId() % ncpus), cls);
    }

    final long allocOn(int cpu, int cls) {
        long h = sets[cpu].alloc(cls);
        if (h != NULL) {
            counters[cpu].alloc(SizeClasses.size(cls));
        }
        return h;
    }

    // ------------------------------------------------------------------ free

    @Override
    public final void free(long h) {
        final SlabZone z = zoneOf(h);
        final int me = callerSlot();
        if (me == ncpus) {
            freeOutside(z, h);
            return;
        }
        final int owner = z.owner();
        if (owner == me) {
            final int st = claimAtCaller
                    ? sets[me].free(z, claim(z, h), 0, true, false)
                    : sets[me].free(z, z.chunkAt(SlabHandle.offset(h) & pool.zoneMask), SlabHandle.gen(h), false, false);
            if (st != ZoneSet.OK) {
                throw misuse(st, h, true);
            }
            counters[me].free(z.chunkSize);
        } else if (owner < 0) {
            throw misuse(Kind.UNKNOWN_HANDLE, h, "its zone is not in use (it is back in the page pool)", true);
        } else {
            freeRemote(me, owner, z, h);
        }
    }

    /** Frees {@code h}, owned by CPU {@code owner}, on CPU {@code me}. */
    abstract void freeRemote(int me, int owner, SlabZone z, long h);

    /** Pushes out what this CPU batched (end of step, shutdown). On CPU {@code me}. */
    abstract void flush(int me);

    /**
     * Applies a free handed over to its owner {@code cpu} (by a batch, or from outside); a misuse found
     * here is refused and recorded, since the caller has moved on.
     */
    final void applyRemote(int cpu, long h, boolean claimed) {
        final SlabZone z = pool.zones[(int) (SlabHandle.offset(h) >>> pool.zoneShift)];
        final int st = z.owner() != cpu ? ZoneSet.STALE_HANDLE
                : sets[cpu].free(z, z.chunkAt(SlabHandle.offset(h) & pool.zoneMask), SlabHandle.gen(h), claimed, true);
        if (st != ZoneSet.OK) {
            misuse(st, h, false);
            return;
        }
        counters[cpu].free(z.chunkSize);
    }

    private void freeOutside(SlabZone z, long h) {
        final int owner = z.owner();
        if (owner < 0) {
            throw misuse(Kind.UNKNOWN_HANDLE, h, "its zone is not in use (it is back in the page pool)", true);
        }
        int i = claimAtCaller ? claim(z, h) : -1;
        OutsideFree f = outsideFrees.get();
        f.handle = h;
        f.claimed = claimAtCaller;
        try {
            fabric.submit(owner, f);
        } catch (RuntimeException e) {
            if (i >= 0) {
                SlabZone.GEN.getAndAdd(z.gen, i, -1); // un-claim: the chunk stays allocated, the caller keeps it
            }
            throw e;
        }
        counters[ncpus].remoteFree();
    }

    private void endOfStep(Cpu cpu) {
        final int me = cpu.id();
        flush(me);
        sweep(me);
        sets[me].reclaim();
    }

    /** Periodic housekeeping at the end of a step (design-specific). */
    void sweep(int me) {}

    // ------------------------------------------------------------------ leak report

    /**
     * Each CPU lists its own zones' outstanding chunks (in its IPI context, so no zone is read while its
     * owner writes it); the shutting-down thread waits for each through {@link Kernel#awaitOutside}, which
     * under a deterministic simulation drives the simulation instead of waiting in real time. A CPU that
     * never answers is a problem in the report, never a silently shorter leak list.
     */
    private void reportLeaks(ShutdownReport.Builder b) {
        LeakReport r = new LeakReport();
        for (int i = 0; i < ncpus; i++) {
            final int cpu = i;
            AtomicBoolean listed = new AtomicBoolean();
            fabric.submissions(cpu).submitAlways(c -> {
                try {
                    collectLeaks(sets[cpu], "cpu " + cpu, r);
                } finally {
                    listed.set(true);
                }
            });
            try {
                if (!kernel.awaitOutside(this + ": cpu " + cpu + " to list its outstanding chunks", LEAK_LIST_LIMIT,
                        listed::get)) {
                    b.problem(this + ": cpu " + cpu + " did not list its outstanding chunks within "
                            + LEAK_LIST_LIMIT.toSeconds() + " s" + (Thread.currentThread().isInterrupted()
                            ? " (interrupted)" : ""));
                }
            } catch (IllegalStateException e) {
                b.problem(this + ": leak report incomplete, cpu " + cpu + " never listed its chunks: " + e.getMessage());
                break;
            }
        }
        report(b, r);
    }

    @Override
    void closeCaches() {
        outsideFrees.close();
    }

    /** A free from a thread outside the kernel, on its way to the owner. Pooled. */
    static final class OutsideFree implements SubmittedIpi {
        private final PerCpuSlab slab;
        long handle;
        boolean claimed;

        OutsideFree(PerCpuSlab slab) {
            this.slab = slab;
        }

        @Override
        public void ipi(int cpu) {
            slab.applyRemote(cpu, handle, claimed);
            slab.outsideFrees.put(this);
        }
    }

    /** An allocation asked by a thread outside the kernel: one per thread, reused. */
    static final class OutsideAlloc implements SubmittedIpi {
        private final PerCpuSlab slab;
        private int cls;
        private long result;
        private RuntimeException error;
        private Thread waiter;
        private volatile boolean done;

        OutsideAlloc(PerCpuSlab slab) {
            this.slab = slab;
        }

        long run(int cpu, int cls) {
            this.cls = cls;
            this.result = NULL;
            this.error = null;
            this.waiter = Thread.currentThread();
            this.done = false;
            slab.fabric.submit(cpu, this);
            if (slab.kernel.simulation() != null) {
                // no CPU thread will unpark us: the simulation moves only while its controller drives it
                slab.kernel.awaitOutside(slab + ": cpu " + cpu + " to allocate for " + waiter.getName(), Duration.ZERO,
                        () -> done);
            }
            while (!done) {
                LockSupport.park(this);
            }
            if (error != null) {
                throw error;
            }
            return result;
        }

        @Override
        public void ipi(int cpu) {
            try {
                result = slab.allocOn(cpu, cls);
            } catch (RuntimeException e) {
                error = e;
            }
            Thread w = waiter;
            done = true;
            LockSupport.unpark(w);
        }
    }
}
