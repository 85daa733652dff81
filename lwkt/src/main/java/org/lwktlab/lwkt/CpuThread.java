package org.lwktlab.lwkt;

/**
 * The platform thread a simulated CPU runs on. {@link Lwkt#currentCpu()} is a type check and a
 * field read on {@code Thread.currentThread()}, both intrinsics — no {@code ThreadLocal} lookup on
 * the hot path.
 */
final class CpuThread extends Thread {
    /** The CPU this thread is running now (a deterministic driver switches it per step). */
    Cpu cpu;

    CpuThread(Cpu cpu, Runnable body, String name) {
        super(body, name);
        this.cpu = cpu;
        setDaemon(true);
    }

    /** A thread with its own stack size: a {@link Simulation}'s driver nests steps inside spin-waits. */
    CpuThread(Cpu cpu, Runnable body, String name, long stackSize) {
        super(null, body, name, stackSize);
        this.cpu = cpu;
        setDaemon(true);
    }
}
