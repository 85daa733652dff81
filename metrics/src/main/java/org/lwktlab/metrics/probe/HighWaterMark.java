package org.lwktlab.metrics.probe;

import org.agrona.concurrent.status.AtomicCounter;

/**
 * The largest value observed in the current scrape window, plus the largest ever.
 *
 * <p>Queue depth sampled now and then misses the spikes between samples; the owner of a queue sees
 * every depth it drains, so it records them here and nothing is lost between two scrapes.
 *
 * <p><b>Protocol.</b> Two single-writer counters: {@code windowMax} and {@code allTimeMax} are written
 * only by the owner; {@code epoch} only by the reader. The owner notices a new epoch on its next
 * {@link #observe} and starts a fresh window. The reader reads the window, bumps the epoch, and reads
 * the window once more, reporting the larger: a value observed in the instant between the two steps is
 * therefore reported (possibly in both adjacent windows, never in neither).
 */
public final class HighWaterMark {
    private final AtomicCounter windowMax;
    private final AtomicCounter allTimeMax;
    private final AtomicCounter epoch;

    // Owner-thread state.
    private long seenEpoch;
    private long localWindowMax;
    private long localAllTimeMax;

    HighWaterMark(AtomicCounter windowMax, AtomicCounter allTimeMax, AtomicCounter epoch) {
        this.windowMax = windowMax;
        this.allTimeMax = allTimeMax;
        this.epoch = epoch;
    }

    /** Records a value. Owner thread only. */
    public void observe(long value) {
        long e = epoch.getAcquire();
        if (e != seenEpoch) {
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
        long before = windowMax.getAcquire();
        epoch.incrementRelease();
        long after = windowMax.getAcquire();
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
