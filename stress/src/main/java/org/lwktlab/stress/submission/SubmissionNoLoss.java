package org.lwktlab.stress.submission;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwktlab.ipi.IpiSignal;
import org.lwktlab.ipi.SubmissionQueue;
import org.lwktlab.ipi.SubmissionQueueFullException;
import org.lwktlab.ipi.SubmittedIpi;
import org.lwktlab.stress.support.Rethrow;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * {@link SubmissionQueue}: two outside threads submit into a two-slot queue while its CPU drains it;
 * every accepted submission runs exactly once, in order per producer, and every refused one was
 * refused by an exception the producer saw (FAIL policy) — nothing is dropped silently.
 *
 * <p>Producer A submits two tasks. The other actor submits B's two tasks and then drains once as the
 * queue's CPU, racing A (jcstress runs no more actors than the machine has CPUs, and this machine has
 * two, so the consumer shares an actor with a producer; the queue only requires a single consumer
 * thread). The arbiter drains the rest and checks. Result: (check: 0 OK, 1 an accepted task lost,
 * 2 a task ran twice or a refused one ran, 3 a producer's tasks ran out of order; more than two
 * accepted — the drain freed slots while A was submitting).
 *
 * <ul>
 *   <li>Acceptable: (0, 0) — two accepted, two refused by exception, each accepted ran once, in
 *       order.</li>
 *   <li>Interesting: (0, 1) — the racing drain freed slots and three or four were accepted, each run
 *       once, in order.</li>
 *   <li>Forbidden: any non-zero check.</li>
 * </ul>
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "Two accepted, two refused by exception; each accepted ran once, in order.")
@Outcome(id = "0, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "The drain freed slots while A submitted; every accepted task ran once, in order.")
@Outcome(expect = FORBIDDEN, desc = "A submission lost, duplicated, run though refused, or reordered within a producer.")
@State
public class SubmissionNoLoss {
    /** A submission that records its own run count and position. */
    private static final class Task implements SubmittedIpi {
        private final SubmissionNoLoss owner;
        final int producer;
        final int seq;
        boolean accepted;
        int runs;
        int ranAt = -1;

        Task(SubmissionNoLoss owner, int producer, int seq) {
            this.owner = owner;
            this.producer = producer;
            this.seq = seq;
        }

        @Override
        public void ipi(int cpu) {
            runs++;
            ranAt = owner.ranSoFar++;
        }
    }

    private final SubmissionQueue queue = new SubmissionQueue(0, 2, SubmissionQueue.FullPolicy.FAIL, new IpiSignal());
    private final Task[] tasks = {new Task(this, 0, 0), new Task(this, 0, 1), new Task(this, 1, 0), new Task(this, 1, 1)};
    private int ranSoFar;

    @Actor
    public void producerA() {
        submit(tasks[0]);
        submit(tasks[1]);
    }

    @Actor
    public void producerBThenCpu() {
        submit(tasks[2]);
        submit(tasks[3]);
        queue.drain(0, 8, Rethrow.HANDLER);
    }

    private void submit(Task t) {
        try {
            queue.submit(t);
            t.accepted = true;
        } catch (SubmissionQueueFullException refused) {
            t.accepted = false;
        }
    }

    @Arbiter
    public void check(II_Result r) {
        queue.drain(0, 8, Rethrow.HANDLER);
        int accepted = 0;
        int status = 0;
        for (Task t : tasks) {
            if (t.accepted) {
                accepted++;
                if (t.runs == 0) {
                    status = Math.max(status, 1);
                } else if (t.runs > 1) {
                    status = 2;
                }
            } else if (t.runs != 0) {
                status = 2;
            }
        }
        if (status == 0) {
            for (int p = 0; p < 2; p++) {
                Task first = tasks[2 * p];
                Task second = tasks[2 * p + 1];
                if (first.accepted && second.accepted && first.ranAt > second.ranAt) {
                    status = 3;
                }
            }
        }
        r.r1 = status;
        r.r2 = accepted > 2 ? 1 : 0;
    }
}
