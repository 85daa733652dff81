package org.lwktlab.lab.run;

import java.util.List;

/**
 * What a {@link Runner} tells whoever shows its progress (a progress bar, plain lines, nothing). Every
 * call comes from the runner thread, in order.
 */
public interface RunListener {
    /** The run is about to start; {@code plan} is the trial order, each trial about {@code trialNanos} long. */
    default void started(RunSpec spec, List<RunSpec.Slot> plan, long trialNanos) {}

    /** Trial {@code order} (from 1) of the plan starts. */
    default void trialStarted(int order, RunSpec.Slot slot) {}

    /**
     * Time passed inside the current trial's warm-up and measured window: {@code doneNanos} of about
     * {@code trialNanos} (called every 50-100 ms while the trial runs).
     */
    default void progress(long doneNanos) {}

    /** Trial {@code order} finished (its checks may have failed; see {@link TrialRecord#ok()}). */
    default void trialFinished(int order, RunSpec.Slot slot, TrialRecord record) {}

    /** Trial {@code order} threw; the run stops after it. */
    default void trialFailed(int order, RunSpec.Slot slot, Exception error) {}

    /** The run was interrupted during trial {@code order}; that trial's partial numbers are discarded. */
    default void interrupted(int order, RunSpec.Slot slot) {}

    /** Something the user should know that is not a trial's result (e.g. {@code bin/lab stat} cannot attach). */
    default void note(String line) {}

    /** The run is over (complete or not). */
    default void finished(RunResults results) {}

    /** A listener that shows nothing. */
    RunListener SILENT = new RunListener() {};
}
