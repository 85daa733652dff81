package org.lwktlab.lab.experiment;

import java.util.List;

/**
 * A named experiment {@code bin/lab} can run: one question, asked of several designs that share one
 * API, one data set and one load, so their numbers are comparable.
 *
 * <p>Experiments are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/org.lwktlab.lab.experiment.Experiment} (a jar of your own on the class path
 * works too — see docs/writing-a-subsystem.md).
 */
public interface Experiment {
    /** The name on the command line: lower case, words joined by '-' ({@code shared-update}). */
    String name();

    /** The question it answers, in one line. */
    String question();

    /** Every design it can run, by name ({@code message}, {@code mutex}, ...). */
    List<String> designs();

    /**
     * Designs that can run as a deterministic simulation ({@code bin/lab run --deterministic}): their load
     * generators are LWKT threads inside the kernel (kicked off by {@link Workload#start()}, stopped
     * through a flag that {@link Workload#stop()} sets and a bounded wait the simulation can drive), they
     * read time through {@code Lwkt.nanoTime()}, they start no threads of their own, and they hold no lock
     * across a wait for IPI ring space. Designs whose load comes from outside threads (the mutex design of
     * {@code shared-update}, say) cannot: their interleaving is the OS scheduler's. A mutex design whose
     * load runs in LWKT threads can, but its locks are never contended in a simulation (one thread steps
     * every CPU). None unless the experiment says so.
     */
    default List<String> deterministicDesigns() {
        return List.of();
    }

    /** Designs run when {@code --design} is not given. */
    default List<String> defaultDesigns() {
        return designs();
    }

    /** CPU counts run when {@code --cpus} is not given. */
    default List<Integer> defaultCpus() {
        return List.of(2);
    }

    /** Fewest CPUs it can run with. */
    default int minCpus() {
        return 1;
    }

    /**
     * True when its workloads honour {@link Trial#openLoop()}: with {@code --rate} they offer load on a
     * fixed schedule ({@link Trial#pacer}) and measure latency from each operation's intended start. An
     * experiment that does not is refused {@code --rate} (bad input), never run closed loop silently.
     */
    default boolean supportsOpenLoop() {
        return false;
    }

    /** Its own settings ({@code --set name=value}), with defaults. */
    default List<Param> params() {
        return List.of();
    }

    /**
     * Builds one trial's workload for {@code trial.design()} on {@code trial.cpus()} CPUs: boot the
     * kernel (or the mutex design's threads), create the state, but generate no load until
     * {@link Workload#start()}.
     */
    Workload prepare(Trial trial) throws Exception;
}
