package org.lwktlab.ipi;

/**
 * Work a thread outside the kernel hands to a CPU through that CPU's {@link SubmissionQueue}. The
 * object is its own carrier (a message delivers itself to its target port), so submitting allocates
 * nothing.
 */
@FunctionalInterface
public interface SubmittedIpi {
    /** Runs on CPU {@code cpu} in its IPI context. */
    void ipi(int cpu);
}
