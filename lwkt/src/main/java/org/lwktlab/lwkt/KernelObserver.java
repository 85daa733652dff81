package org.lwktlab.lwkt;

/**
 * Told when a kernel boots and when it has shut down — for tools that wrap a run they do not write
 * themselves ({@code bin/lab trace} installs its {@link ProvenanceTap} from {@link #booted}, and reads
 * the leak report from {@link #shutDown}). Register with {@link KernelConfig.Builder#observer}.
 */
public interface KernelObserver {
    /** The kernel is running (for a simulation: built, before its first step). On the booting thread. */
    default void booted(Kernel kernel) {}

    /** The kernel has stopped; {@code report} is what {@link Kernel#shutdown()} returns. On the shutting-down thread. */
    default void shutDown(Kernel kernel, ShutdownReport report) {}
}
