package org.lwktlab.ipi;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A minimal CPU loop over an {@link IpiFabric} for testing the IPI layer without lwkt: drain, flush
 * wake-ups, announce idle and park (with a configurable tick, so a test can make "the next drain"
 * depend on a wake-up alone).
 */
final class TestCpus implements AutoCloseable {
    final IpiFabric fabric;
    final Thread[] threads;
    private volatile boolean stop;

    TestCpus(IpiFabric fabric, long tickNanos) {
        this.fabric = fabric;
        int n = fabric.ncpus();
        threads = new Thread[n];
        CountDownLatch started = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            final int cpu = i;
            threads[i] = new Thread(() -> {
                started.countDown();
                loop(cpu, tickNanos);
            }, "test-cpu" + i);
            threads[i].setDaemon(true);
            fabric.signal(i).attach(threads[i]);
        }
        for (Thread t : threads) {
            t.start();
        }
        try {
            started.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private void loop(int cpu, long tick) {
        IpiSignal s = fabric.signal(cpu);
        while (!stop) {
            int w = fabric.process(cpu);
            fabric.flushWakeups(cpu);
            if (w > 0 || fabric.quiesced(cpu)) {
                Thread.onSpinWait();
                continue;
            }
            fabric.publishProbes(cpu); // as a kernel CPU does before it parks
            s.announceIdle();
            if (fabric.hasPending(cpu) || stop) {
                s.cancelIdle();
                continue;
            }
            LockSupport.parkNanos(tick);
            s.cancelIdle();
        }
        fabric.publishProbes(cpu);
    }

    /** Waits until every CPU has announced idle (parked or about to). */
    void awaitAllIdle() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (int i = 0; i < threads.length; i++) {
            while (!fabric.signal(i).isIdle()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("cpu " + i + " never went idle");
                }
                Thread.onSpinWait();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
        for (Thread t : threads) {
            t.join(5_000);
        }
    }
}
