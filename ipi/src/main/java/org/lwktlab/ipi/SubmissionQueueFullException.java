package org.lwktlab.ipi;

/**
 * Thrown to a thread outside the kernel when a CPU's submission queue is full and the configured
 * policy is {@link SubmissionQueue.FullPolicy#FAIL}. Nothing was enqueued; the caller still owns its
 * message and may retry.
 */
public final class SubmissionQueueFullException extends IllegalStateException {
    private final int cpu;

    public SubmissionQueueFullException(int cpu, int capacity) {
        super("submission queue of cpu " + cpu + " is full (capacity " + capacity
                + ") and the policy is FAIL: nothing was enqueued; retry, or boot with submissionPolicy=WAIT");
        this.cpu = cpu;
    }

    /** The CPU whose queue was full. */
    public int cpu() {
        return cpu;
    }
}
