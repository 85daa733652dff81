package org.lwktlab.stress.broken;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.agrona.concurrent.status.AtomicCounter;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * BROKEN ON PURPOSE — the twin of {@code org.lwktlab.stress.probe.HighWaterMarkKeepsSpike} running
 * the high-water-mark protocol {@code metrics.probe.HighWaterMark} had before this suite found its
 * bug: the owner resets the window as soon as it sees a new epoch, with nothing keeping the old
 * window's maximum, and the reader reads the window before and after bumping the epoch.
 *
 * <p>The owner can write the spike just after the reader's first look, see the new epoch, and reset
 * the window before the reader's second look (even in a sequentially consistent run; with store
 * buffering it gets likelier): neither read reports the spike. Same actors and result as the real
 * test: (the racing read, the next read).
 *
 * <ul>
 *   <li>Acceptable: (100, 100), (0, 100); interesting: (100, 1).</li>
 *   <li>Forbidden: neither read reports 100 — expected to appear, e.g. (0, 1) or (1, 1).</li>
 * </ul>
 */
@JCStressTest
@Outcome(id = {"100, 100", "0, 100"}, expect = ACCEPTABLE, desc = "The spike was reported by one of the two reads.")
@Outcome(id = "100, 1", expect = ACCEPTABLE_INTERESTING, desc = "The read overlapped the owner and reported the spike.")
@Outcome(expect = FORBIDDEN, desc = "The spike was reported by neither read: lost between two windows.")
@State
public class HighWaterMarkWithoutClosedMax {
    private final ProbeRegistry registry = ProbeRegistry.inMemory(64, Labels.empty());
    private final AtomicCounter windowMax = registry.counter("lwkt_stress_window", "twin", Labels.empty());
    private final AtomicCounter epoch = registry.counter("lwkt_stress_epoch", "twin", Labels.empty());
    private long seenEpoch;
    private long localWindowMax;

    private void observe(long value) {
        long e = epoch.getAcquire();
        if (e != seenEpoch) {
            seenEpoch = e;
            localWindowMax = value;
            windowMax.setRelease(value);
        } else if (value > localWindowMax) {
            localWindowMax = value;
            windowMax.setRelease(value);
        }
    }

    private long readAndReset() {
        long before = windowMax.getAcquire();
        epoch.incrementRelease();
        long after = windowMax.getAcquire();
        return Math.max(before, after);
    }

    @Actor
    public void owner() {
        observe(100);
        observe(1);
    }

    @Actor
    public void exporter(JJ_Result r) {
        r.r1 = readAndReset();
    }

    @Arbiter
    public void nextRead(JJ_Result r) {
        r.r2 = readAndReset();
    }
}
