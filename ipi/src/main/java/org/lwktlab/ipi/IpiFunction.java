package org.lwktlab.ipi;

/**
 * A function run on a target CPU in its IPI context (DragonFly's {@code ipifunc3_t}).
 *
 * <p>Implementations are stateless singletons; per-call data travels in {@code arg} and {@code arg2},
 * so sending allocates nothing. An IPI function runs to completion, never blocks, and must not run
 * thread-level code (handlers): it enqueues, schedules, sets a flag. It may run nested inside another
 * CPU activity when a sender waiting for ring space drains its own inbound rings.
 */
@FunctionalInterface
public interface IpiFunction {
    /**
     * @param cpu  the CPU running the function
     * @param arg  the reference argument given to the send
     * @param arg2 the numeric argument given to the send
     */
    void ipi(int cpu, Object arg, long arg2);
}
