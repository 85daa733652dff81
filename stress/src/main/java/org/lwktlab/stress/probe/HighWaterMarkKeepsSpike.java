package org.lwktlab.stress.probe;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwktlab.metrics.probe.HighWaterMark;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * A {@link HighWaterMark} never loses a spike between two reads: every observed value is reported by
 * the read that closes its window or by the next one (its class comment: "possibly in both adjacent
 * windows, never in neither").
 *
 * <p>The owner observes a spike (100) and then a small depth (1); the exporter's read
 * ({@code readAndReset}) races them and the arbiter does the next read. Result: (the racing read, the
 * next read).
 *
 * <ul>
 *   <li>Acceptable: (100, 100) — the owner finished first, its window held 100 for both reads (the
 *       owner had not yet seen the new window); (0, 100) — the read finished first and the spike opened
 *       the next window.</li>
 *   <li>Interesting: (100, 1) — the read overlapped the owner: it reported the spike, and the owner's
 *       next observation started the new window.</li>
 *   <li>Forbidden: neither read reports 100 — e.g. (1, 1): the owner saw the new window and reset it
 *       after the spike landed in the old one, but after the read's first look. The spike fell between
 *       the two windows.</li>
 * </ul>
 */
@JCStressTest
@Outcome(id = {"100, 100", "0, 100"}, expect = ACCEPTABLE, desc = "The spike was reported by one of the two reads.")
@Outcome(id = "100, 1", expect = ACCEPTABLE_INTERESTING, desc = "The read overlapped the owner and reported the spike; the next window holds 1.")
@Outcome(expect = FORBIDDEN, desc = "The spike was reported by neither read: lost between two windows.")
@State
public class HighWaterMarkKeepsSpike {
    private final HighWaterMark mark = ProbeRegistry.inMemory(64, Labels.empty())
            .highWaterMark("lwkt_stress_depth_max", "stress", Labels.empty());

    @Actor
    public void owner() {
        mark.observe(100);
        mark.observe(1);
    }

    @Actor
    public void exporter(JJ_Result r) {
        r.r1 = mark.readAndReset();
    }

    @Arbiter
    public void nextRead(JJ_Result r) {
        r.r2 = mark.readAndReset();
    }
}
