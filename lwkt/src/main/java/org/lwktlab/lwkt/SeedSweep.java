package org.lwktlab.lwkt;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Runs one scenario under many seeds of a deterministic {@link Simulation} and reports the first seed
 * that fails — the way to hunt an interleaving bug: sweep thousands of schedules in seconds, then
 * replay the failing one step by step with an {@link EventLog}.
 *
 * <p>Each seed gets a fresh kernel built from the same configuration (made deterministic with that
 * seed), runs the scenario on the calling thread (the simulation's controller), and shuts the kernel
 * down. A seed fails when the scenario throws, when a handler threw (unless allowed), or when the
 * shutdown report is not clean (a message left unreplied, a leak a subsystem reported).
 *
 * <pre>{@code
 * SeedSweep.Result r = SeedSweep.over(() -> KernelConfig.builder(3)).seeds(1, 5_000).run(k -> {
 *     ... boot threads, send, k.simulation().await("the last reply", () -> done[0]) ...
 * });
 * if (r.failure() != null) SeedSweep.over(...).replay(r.failure().seed(), scenario, EventLog.to(writer));
 * }</pre>
 */
public final class SeedSweep {
    /** What runs against each seed's kernel; throw (an assertion, say) to fail the seed. */
    @FunctionalInterface
    public interface Scenario {
        void run(Kernel kernel) throws Exception;
    }

    /**
     * The first failing seed.
     *
     * @param seed   replay with this seed
     * @param steps  steps the simulation took before it failed
     * @param reason what went wrong, in one line
     * @param error  the exception, or null when the shutdown report was the failure
     */
    public record Failure(long seed, long steps, String reason, Throwable error) {
        @Override
        public String toString() {
            return "seed " + seed + " failed after " + steps + " steps: " + reason;
        }
    }

    /**
     * @param firstSeed the first seed tried
     * @param seedsRun  seeds run, the failing one included
     * @param steps     steps taken over all of them
     * @param failure   the first failure, or null when every seed passed
     */
    public record Result(long firstSeed, long seedsRun, long steps, Failure failure) {
        public boolean passed() {
            return failure == null;
        }

        @Override
        public String toString() {
            return failure == null
                    ? seedsRun + " seeds passed (" + firstSeed + ".." + (firstSeed + seedsRun - 1) + ", " + steps + " steps)"
                    : failure + " (after " + (seedsRun - 1) + " passing seeds from " + firstSeed + ")";
        }
    }

    private final Supplier<KernelConfig.Builder> config;
    private long first = 1;
    private long count = 1_000;
    private boolean allowHandlerErrors;

    private SeedSweep(Supplier<KernelConfig.Builder> config) {
        this.config = config;
    }

    /**
     * A sweep over kernels from {@code config}, which must give a fresh builder each call (its probe
     * registry, if any, must be fresh too: two kernels cannot share one).
     */
    public static SeedSweep over(Supplier<KernelConfig.Builder> config) {
        return new SeedSweep(Objects.requireNonNull(config, "config"));
    }

    /** Seeds {@code first .. first + count - 1} (default 1..1000). */
    public SeedSweep seeds(long first, long count) {
        if (count < 1) {
            throw new IllegalArgumentException("a sweep needs at least one seed, got " + count);
        }
        this.first = first;
        this.count = count;
        return this;
    }

    /** Whether a handler that threw fails the seed (default: it does). */
    public SeedSweep allowHandlerErrors(boolean allow) {
        this.allowHandlerErrors = allow;
        return this;
    }

    /** Runs every seed until one fails. */
    public Result run(Scenario scenario) {
        Objects.requireNonNull(scenario, "scenario");
        long steps = 0;
        for (long i = 0; i < count; i++) {
            long seed = first + i;
            Outcome o = once(seed, scenario, null);
            steps += o.steps;
            if (o.failure != null) {
                return new Result(first, i + 1, steps, o.failure);
            }
        }
        return new Result(first, count, steps, null);
    }

    /**
     * Runs {@code seed} once more, writing every step to {@code log}.
     *
     * @return the failure, or null if the seed passed
     */
    public Failure replay(long seed, Scenario scenario, EventLog log) {
        return once(seed, scenario, Objects.requireNonNull(log, "log")).failure;
    }

    /**
     * Runs {@code seed} and returns the simulation's {@link Simulation#digest() digest} at shutdown: equal
     * digests from two runs mean they took the same steps.
     */
    public long digest(long seed, Scenario scenario) {
        Outcome o = once(seed, scenario, null);
        if (o.failure != null) {
            throw new IllegalStateException(o.failure.toString(), o.failure.error());
        }
        return o.digest;
    }

    private record Outcome(long steps, long digest, Failure failure) {}

    private Outcome once(long seed, Scenario scenario, EventLog log) {
        KernelConfig.Builder b = config.get().deterministic(seed).pin(KernelConfig.Pin.OFF).name("sweep-" + seed);
        if (log != null) {
            b.eventLog(log);
        }
        Kernel k = Kernel.boot(b.build());
        Simulation sim = k.simulation();
        Failure failure = null;
        try {
            scenario.run(k);
        } catch (Throwable t) {
            failure = new Failure(seed, sim.steps(), "the scenario threw " + t, t);
        }
        ShutdownReport r;
        try {
            r = k.shutdown();
        } catch (RuntimeException e) {
            return new Outcome(sim.steps(), sim.digest(), failure != null ? failure
                    : new Failure(seed, sim.steps(), "shutdown threw " + e, e));
        }
        if (failure == null && !allowHandlerErrors && r.handlerErrors() > 0) {
            HandlerError first = r.errors().isEmpty() ? null : r.errors().getFirst();
            failure = new Failure(seed, sim.steps(), r.handlerErrors() + " handler error(s), first: "
                    + (first == null ? "?" : first.cpu() + " " + first.where() + ": " + first.error()),
                    first == null ? null : first.error());
        }
        if (failure == null && !r.clean()) {
            failure = new Failure(seed, sim.steps(), "unclean shutdown: " + String.join("; ", r.problems()), null);
        }
        return new Outcome(sim.steps(), sim.digest(), failure);
    }
}
