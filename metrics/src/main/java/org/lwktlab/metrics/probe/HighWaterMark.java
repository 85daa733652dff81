package org.lwktlab.metrics.probe;

import org.agrona.concurrent.status.AtomicCounter;

/**
 * The largest value observed in the current scrape window, plus the largest ever.
 *
 * <p>Queue depth sampled now and then misses the spikes between samples; the owner of a queue sees
 * every depth it drains, so it records them here and nothing is lost between two scrapes.
 *
 * <p><b>Protocol.</b> Single-writer counters only: {@code windowMax}, {@code closedMax} and
 * {@code allTimeMax} are written by the owner, {@code epoch} by the reader. The reader starts a new
 * window by bumping the epoch; the owner notices it on its next {@link #observe}, publishes the final
 * maximum of the window it is leaving in {@code closedMax}, and only then resets {@code windowMax}.
 * The reader reports the largest of {@code windowMax} and {@code closedMax}, each read before and
 * after its bump. A value is therefore reported by the read that closes its window or by the next
 * one — possibly by both, never by neither:
 * <ul>
 *   <li>while the owner has not noticed the new epoch, the value stays in {@code windowMax} (a window
 *       maximum only grows) until a read sees it;</li>
 *   <li>once the owner resets {@code windowMax}, {@code closedMax} (written before the reset, with
 *       release) already holds the value, and any read that sees the reset sees it; the owner
 *       overwrites {@code closedMax} only after a later bump, which comes after that read's loads.</li>
 * </ul>
 * Resetting without {@code closedMax} loses a spike: if the owner writes the spike just after the
 * reader's first look and then sees the new epoch and resets before the reader's second look, neither
 * read reports it ({@code org.lwktlab.stress.probe.HighWaterMarkKeepsSpike} showed exactly this).
 */
public final class HighWaterMark {
    private final AtomicCounter windowMax;
    private final AtomicCounter closedMax;
    private final AtomicCounter allTimeMax;
    private final AtomicCounter epoch;

    // Owner-thread state.
    private long seenEpoch;
    private long localWindowMax;
    private long localAllTimeMax;

    HighWaterMark(AtomicCounter windowMax, AtomicCounter closedMax, AtomicCounter allTimeMax, AtomicCounter epoch) {
        this.windowMax = windowMax;
        this.closedMax = closedMax;
        this.allTimeMax = allTimeMax;
        this.epoch = epoch;
    }

    /** Records a value. Owner thread only. */
    public void observe(long value) {
        long e = epoch.getAcquire();
        if (e != seenEpoch) {
            closedMax.setRelease(localWindowMax);
            seenEpoch = e;
            localWindowMax = value;
            windowMax.setRelease(value);
        } else if (value > localWindowMax) {
            localWindowMax = value;
            windowMax.setRelease(value);
        }
        if (value > localAllTimeMax) {
            localAllTimeMax = value;
            allTimeMax.setRelease(value);
        }
    }

    /** The largest value since the previous call, then starts a new window. One reader at a time. */
    public long readAndReset() {
        long before = Math.max(windowMax.getAcquire(), closedMax.getAcquire());
        epoch.incrementRelease();
        long after = Math.max(windowMax.getAcquire(), closedMax.getAcquire());
        return Math.max(before, after);
    }

    /** The current window's maximum, without starting a new window. */
    public long peekWindow() {
        return windowMax.getAcquire();
    }

    /** The largest value ever observed. */
    public long allTimeMax() {
        return allTimeMax.getAcquire();
    }
}
