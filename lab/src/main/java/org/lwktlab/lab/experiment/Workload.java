package org.lwktlab.lab.experiment;

import java.util.List;
import java.util.Map;

/**
 * One trial's running system, driven by the runner: {@link #start()}, warm-up, measurement,
 * {@link #stop()}, {@link #verify()}, {@link #close()}.
 */
public interface Workload extends AutoCloseable {
    /** Starts generating load (closed loop unless the trial has a rate). */
    void start() throws Exception;

    /** Stops generating load and waits for every operation in flight to finish. */
    void stop() throws Exception;

    /** Correctness checks, after {@link #stop()}: nothing lost, nothing applied twice. */
    default List<Check> verify() {
        return List.of();
    }

    /**
     * Experiment-specific figures for the measured window (e.g. remote frees per IPI), computed after
     * {@link #stop()}. {@code ops} is the number of operations measured.
     */
    default Map<String, Double> metrics(long ops) {
        return Map.of();
    }

    /**
     * Releases everything (shuts the kernel down). Checks the shutdown produced belong in the returned
     * list.
     */
    List<Check> shutdown() throws Exception;

    @Override
    default void close() throws Exception {
        shutdown();
    }
}
