package org.lwktlab.lwkt;

/**
 * Sees every message a thread is about to handle while {@link KernelConfig.Debug#PROVENANCE} is on,
 * with its origin chain — how {@code bin/lab trace} samples what a running subsystem's messages went
 * through. Install with {@link Kernel#provenanceTap}.
 *
 * <p>Runs on the handling CPU, before the handler, on every CPU at once: keep it short and
 * thread-safe, and do not touch the message beyond reading it.
 */
@FunctionalInterface
public interface ProvenanceTap {
    /**
     * @param cpu    the CPU about to run the handler
     * @param td     the thread whose handler runs
     * @param msg    the request or reply it is handed
     * @param origin the message's chain (null if it was sent before provenance could see it)
     */
    void handling(Cpu cpu, LwktThread td, Message msg, Origin origin);
}
