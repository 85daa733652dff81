package org.lwktlab.lwkt;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.lwktlab.metrics.probe.ProbeSeries;

/** Test helpers: bounded waits that fail with a message instead of hanging. */
final class Await {
    private Await() {}

    static void until(String what, BooleanSupplier cond) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    static void value(String what, LongSupplier v, long want) {
        until(what + " to reach " + want + " (now " + v.getAsLong() + ")", () -> v.getAsLong() >= want);
        if (v.getAsLong() != want) {
            throw new AssertionError(what + " overshot: " + v.getAsLong() + " != " + want);
        }
    }

    /** The sum of counter {@code name} over its series, only those of port {@code port} unless null. */
    static long probe(Kernel k, String name, String port) {
        long sum = 0;
        for (ProbeSeries s : k.probes().series()) {
            if (s.id().name().equals(name) && (port == null || port.equals(s.id().labels().get("port")))
                    && s instanceof ProbeSeries.Counter c) {
                sum += c.value();
            }
        }
        return sum;
    }

    /** The value of gauge {@code name} of port {@code port} now; fails if there is no such gauge. */
    static long gauge(Kernel k, String name, String port) {
        for (ProbeSeries s : k.probes().series()) {
            if (s.id().name().equals(name) && port.equals(s.id().labels().get("port")) && s instanceof ProbeSeries.Gauge g) {
                return g.source().getAsLong();
            }
        }
        throw new AssertionError("no gauge " + name + "{port=\"" + port + "\"}");
    }

    static KernelConfig.Builder config(int cpus) {
        return KernelConfig.builder(cpus).pin(KernelConfig.Pin.OFF);
    }
}
