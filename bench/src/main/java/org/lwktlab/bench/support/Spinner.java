package org.lwktlab.bench.support;

import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The far side of a two-thread benchmark (the ponger, the consumer): a platform thread that calls its
 * body in a tight loop until closed. The loop has no pause instruction, the same busy-poll every
 * variant's JMH-side loop uses, so no variant gets a cheaper wait than another.
 *
 * <p><b>Invariants:</b> the body runs only on this thread; {@link #close} returns only after the thread
 * ended (or throws saying it did not within 10 s), and rethrows what the body threw, so a broken
 * benchmark fails instead of reporting a number.
 */
public final class Spinner implements AutoCloseable {
    /** One pass of the far side's loop. */
    @FunctionalInterface
    public interface Body {
        void step();
    }

    private final Thread thread;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile boolean stop;
    private volatile Throwable failure;

    /**
     * Starts the thread and returns once it runs.
     *
     * @param core the core it pins itself to when {@link BenchSettings#pin()} is on
     */
    public Spinner(String name, int core, Body body) {
        Objects.requireNonNull(body, "body");
        thread = new Thread(() -> {
            try {
                BenchSettings.pinDriver(core);
                started.countDown();
                while (!stop) {
                    body.step();
                }
            } catch (Throwable t) {
                failure = t;
                started.countDown();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        try {
            if (!started.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("spinner " + name + " did not start within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting spinner " + name, e);
        }
        rethrow();
    }

    /** Stops the loop and waits for the thread. */
    @Override
    public void close() {
        stop = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("spinner " + thread.getName() + " did not stop within 10 s");
        }
        rethrow();
    }

    private void rethrow() {
        Throwable t = failure;
        if (t != null) {
            throw new IllegalStateException("spinner " + thread.getName() + " failed: " + t, t);
        }
    }
}
