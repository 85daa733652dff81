package org.lwktlab.lwkt;

/**
 * A subsystem that adds to the kernel's shutdown report (the slab allocator's leak report, say). Called
 * after every queue has drained and every thread's {@link ShutdownHook} has run.
 */
public interface ShutdownParticipant {
    /** Runs on CPU {@code cpu}'s own thread, once per CPU: report what that CPU still holds. */
    default void onCpuShutdown(Cpu cpu, ShutdownReport.Builder report) {}

    /** Runs on the thread calling {@link Kernel#shutdown()}, after every CPU's turn. */
    default void onShutdown(ShutdownReport.Builder report) {}
}
