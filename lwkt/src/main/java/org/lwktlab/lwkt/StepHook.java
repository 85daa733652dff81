package org.lwktlab.lwkt;

/**
 * Run by a CPU at the end of every dispatch step (after an IPI drain or a thread's batch), before the
 * CPU flushes its wake-ups or idles: the place to push out per-CPU batches (the slab allocator sends
 * its batched remote frees here).
 */
@FunctionalInterface
public interface StepHook {
    /** Runs on CPU {@code cpu}'s thread. */
    void endOfStep(Cpu cpu);
}
