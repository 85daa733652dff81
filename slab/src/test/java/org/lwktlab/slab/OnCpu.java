package org.lwktlab.slab;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.KernelConfig;

/**
 * Test helpers: run code on a CPU (in its IPI context) and wait for it, bounded (driving the simulation
 * when the kernel is a deterministic one); bounded waits.
 */
final class OnCpu {
    private OnCpu() {}

    static KernelConfig.Builder config(int cpus) {
        return KernelConfig.builder(cpus).pin(KernelConfig.Pin.OFF);
    }

    static SlabConfig.Builder small() {
        return SlabConfig.builder().arenaBytes(4L << 20).jvmSlots(1 << 14);
    }

    /** Runs {@code body} on CPU {@code cpu} and returns its result; rethrows what it threw. */
    @SuppressWarnings("unchecked")
    static <T> T call(Kernel k, int cpu, Supplier<T> body) {
        Object[] box = new Object[2];
        CountDownLatch done = new CountDownLatch(1);
        k.fabric().submit(cpu, c -> {
            try {
                box[0] = body.get();
            } catch (Throwable t) {
                box[1] = t;
            } finally {
                done.countDown();
            }
        });
        if (!k.awaitOutside("cpu " + cpu + " to run the task", Duration.ofSeconds(30), () -> done.getCount() == 0)) {
            throw new AssertionError("cpu " + cpu + " did not run the task within 30 s");
        }
        if (box[1] instanceof RuntimeException re) {
            throw re;
        }
        if (box[1] instanceof Error er) {
            throw er;
        }
        return (T) box[0];
    }

    static void run(Kernel k, int cpu, Runnable body) {
        call(k, cpu, () -> {
            body.run();
            return null;
        });
    }

    static void until(String what, BooleanSupplier cond) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 30 s waiting for " + what);
            }
            Thread.yield();
        }
    }
}
