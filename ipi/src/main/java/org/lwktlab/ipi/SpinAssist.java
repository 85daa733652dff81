package org.lwktlab.ipi;

/**
 * What a spin-wait in the fabric does instead of spinning when every CPU is simulated by one thread
 * (the deterministic mode of {@code org.lwktlab.lwkt.Simulation}): there, a CPU waiting for a full ring
 * to drain, a {@code waitIpiq} or a cpusync rendezvous would spin forever, because the CPU it waits for
 * can only run when the waiter returns. The assist runs one step of some other CPU instead — as the
 * other CPUs would have run concurrently — and throws if no other CPU can step (a real deadlock).
 *
 * <p>Installed with {@link IpiFabric#spinAssist}; null (the default) means real threads: spin, yield,
 * park as usual. Called on the waiting thread, from inside the wait loop, between its own re-checks.
 */
@FunctionalInterface
public interface SpinAssist {
    /** The waiter is a thread outside the kernel (a full submission queue, an external cpusync). */
    int EXTERNAL = -1;

    /**
     * Lets other CPUs make progress once.
     *
     * @param waitingCpu the CPU whose loop is waiting (its own rings are drained by that loop), or
     *                   {@link #EXTERNAL}
     * @throws IllegalStateException when nothing else can run, so the wait can never end
     */
    void assist(int waitingCpu);
}
