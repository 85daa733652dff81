package org.lwktlab.vfs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A cached kernel mapping of one page ({@code struct sf_buf}, 2004 {@code kern_sfbuf.c}): a KVA slot
 * of its CPU's {@link SfBufCache}, the page it maps now, a reference count, and the {@code cpumask} of
 * CPUs whose TLB is known to be valid for this mapping.
 *
 * <p>The model has no real page tables: a "mapping" is the slot number, and an "invalidation" is
 * counted, not performed. What it measures is the point of the cpumask: a new mapping is installed
 * with a local invalidation only (mask = {installer}); a CPU missing from the mask invalidates its own
 * TLB entry on first use and adds itself — no CPU ever interrupts another, where a global shoot-down
 * would have sent an invalidation to every other CPU at each install.
 *
 * <p><b>Threads.</b> The owning CPU installs, references and releases it (fields {@code page},
 * {@code refs}, LRU links); it is re-installed only with no references left, so never under a user.
 * Consumers on other CPUs touch only the mask, while they hold a reference, with an atomic OR (as
 * {@code atomic_set_cpumask}); the owner resets it at the next install, after the release that
 * followed those ORs (the release travels by IPI, which orders it).
 */
public final class SfBuf {
    private static final VarHandle MASK;

    static {
        try {
            MASK = MethodHandles.lookup().findVarHandle(SfBuf.class, "cpumask", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final int slot;
    final int ownerCpu;
    long page;
    int refs;
    SfBuf lruPrev;
    SfBuf lruNext;
    @SuppressWarnings("unused") // through MASK
    private volatile long cpumask;

    SfBuf(int slot, int ownerCpu) {
        this.slot = slot;
        this.ownerCpu = ownerCpu;
    }

    /** The KVA slot (within its CPU's cache). */
    public int slot() {
        return slot;
    }

    /** The page mapped now. */
    public long page() {
        return page;
    }

    /** The CPUs whose TLB is valid for the current mapping. */
    public long cpumask() {
        return (long) MASK.getAcquire(this);
    }

    /** Owner, at install: only the installing CPU's TLB is valid. */
    void install(long page, int cpu) {
        this.page = page;
        MASK.setRelease(this, 1L << cpu);
    }

    /**
     * A CPU is about to touch the mapped page ({@code lwbuf_kva}): if it is not in the mask it
     * invalidates its own TLB entry and joins. Called while holding a reference.
     *
     * @return true if this CPU had to invalidate locally (first use on it), false if its TLB was valid
     */
    boolean useOn(int cpu) {
        long bit = 1L << cpu;
        if (((long) MASK.getAcquire(this) & bit) != 0) {
            return false;
        }
        MASK.getAndBitwiseOr(this, bit);
        return true;
    }
}
