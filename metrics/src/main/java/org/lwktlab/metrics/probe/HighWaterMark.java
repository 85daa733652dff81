package org.lwktlab.metrics.probe;

import org.agrona.concurrent.status.AtomicCounter;

/**
 * The largest value observed in the current scrape window, plus the largest ever.
 *
 * <p>Queue depth sampled now and then misses the spikes between samples; the owner of a queue sees
 * every depth it drains, so it records them here and nothing is lost between two scrapes.
 *
 * <p><b>Protocol.</b> Three single-writer counters: {@code window} and {@code allTimeMax} are written
 * only by the owner; {@code epoch} only by the reader. The owner notices a new epoch on its next
 * {@link #observe} and starts a fresh window. {@code window} packs the window's epoch (low
 * {@value #EPOCH_BITS} bits) with its maximum (the rest) into one word, stored with one release, so a
 * reader can tell a window the owner has written from one it has not touched yet: an owner that stops
 * observing (an idle CPU) leaves an old window behind, and that old maximum must not be reported again
 * and again. When the owner notices a new epoch it first publishes the window it is leaving, tagged
 * with that window's epoch, in {@code closed} (release), and only then starts the fresh window. The
 * reader reads both words, bumps the epoch, and reads the window and then {@code closed} once more,
 * counting a word only when its epoch is the closing window's or one of its neighbours: a value
 * observed in the instant between the two steps is therefore reported, possibly in both adjacent
 * windows, never in neither, and never in a later one. Without {@code closed} a spike is lost when the
 * owner writes it just after the reader's first look and resets the window (having seen the new
 * epoch) before the reader's second look ({@code org.lwktlab.stress.probe.HighWaterMarkKeepsSpike}
 * showed exactly this); a reader that sees the reset window sees {@code closed}, written before it.
 *
 * <p>Values are clamped to {@link #MAX_VALUE} in the window word (the all-time maximum keeps 63 bits).
 * Epochs wrap after 2<sup>{@value #EPOCH_BITS}</sup> windows; a window left untouched for exactly that
 * many resets would be reported once more (at 100 resets a second, after 46 hours).
 */
public final class HighWaterMark {
    /** Bits of the window word that hold the epoch. */
    public static final int EPOCH_BITS = 24;
    /** Largest value the window word holds. */
    public static final long MAX_VALUE = (1L << (63 - EPOCH_BITS)) - 1;
    private static final long EPOCH_MASK = (1L << EPOCH_BITS) - 1;

    private final AtomicCounter window;
    private final AtomicCounter closed;
    private final AtomicCounter allTimeMax;
    private final AtomicCounter epoch;

    // Owner-thread state.
    private long seenEpoch = -1;
    private long localWindowMax;
    private long localAllTimeMax;
    /** Reader-owned: the window the previous read closed, and the most it saw tagged with it. */
    private long readerLastEpoch = -1;
    private long readerSawOfLast;

    HighWaterMark(AtomicCounter window, AtomicCounter closed, AtomicCounter allTimeMax, AtomicCounter epoch) {
        this.window = window;
        this.closed = closed;
        this.allTimeMax = allTimeMax;
        this.epoch = epoch;
    }

    /** Records a value (negative values count as 0). Owner thread only. */
    public void observe(long value) {
        long v = Math.max(0, value);
        long e = epoch.getAcquire() & EPOCH_MASK;
        if (e != seenEpoch) {
            if (seenEpoch >= 0) { // -1 until the first observation: no window to close yet
                closed.setRelease(pack(seenEpoch, localWindowMax));
            }
            seenEpoch = e;
            localWindowMax = v;
            window.setRelease(pack(e, v));
        } else if (v > localWindowMax) {
            localWindowMax = v;
            window.setRelease(pack(e, v));
        }
        if (v > localAllTimeMax) {
            localAllTimeMax = v;
            allTimeMax.setRelease(v);
        }
    }

    /**
     * The largest value since the previous call (0 when none was observed), then starts a new window.
     * One reader at a time, for the life of the mark.
     */
    public long readAndReset() {
        long e = epoch.getAcquire() & EPOCH_MASK;
        long w1 = window.getAcquire();
        long c1 = closed.getAcquire();
        epoch.incrementRelease();
        long w2 = window.getAcquire();
        long c2 = closed.getAcquire();
        long prev = (e - 1) & EPOCH_MASK;
        long unseen = readerLastEpoch == prev ? readerSawOfLast : -1;
        long result = Math.max(Math.max(valueIfNear(w1, e), valueIfNear(w2, e)),
                Math.max(closedValue(c1, e, prev, unseen), closedValue(c2, e, prev, unseen)));
        readerLastEpoch = e;
        readerSawOfLast = Math.max(Math.max(valueIfTagged(w1, e), valueIfTagged(w2, e)),
                Math.max(valueIfTagged(c1, e), valueIfTagged(c2, e)));
        return result;
    }

    /**
     * The current window's maximum without starting a new window; 0 if the owner has not observed
     * anything since the window began.
     */
    public long peekWindow() {
        long w = window.getAcquire();
        return (w & EPOCH_MASK) == (epoch.getAcquire() & EPOCH_MASK) ? w >>> EPOCH_BITS : 0;
    }

    /** The largest value ever observed. */
    public long allTimeMax() {
        return allTimeMax.getAcquire();
    }

    /** Decodes a raw window word read from a counters file: its maximum. */
    public static long windowValue(long word) {
        return word >>> EPOCH_BITS;
    }

    private static long pack(long e, long v) {
        return (Math.min(v, MAX_VALUE) << EPOCH_BITS) | e;
    }

    /**
     * A closed-window word's contribution to the read closing window {@code e}: its value if it closed
     * {@code e}; if it closed the previous window {@code prev}, its value only when that exceeds what
     * the previous read saw of {@code prev} ({@code seen}; -1 if unknown) — the spike that read missed,
     * not one it already reported; else 0.
     */
    private static long closedValue(long word, long e, long prev, long seen) {
        long tag = word & EPOCH_MASK;
        long v = word >>> EPOCH_BITS;
        if (tag == e) {
            return v;
        }
        return tag == prev && v > seen ? v : 0;
    }

    /** The value of {@code word} if it was written in window {@code e} exactly, else 0. */
    private static long valueIfTagged(long word, long e) {
        return (word & EPOCH_MASK) == e ? word >>> EPOCH_BITS : 0;
    }

    /** The value of {@code word} if it was written in window {@code e} or a neighbour, else 0. */
    private static long valueIfNear(long word, long e) {
        long distance = ((word & EPOCH_MASK) - e) & EPOCH_MASK;
        boolean near = distance == 0 || distance == 1 || distance == EPOCH_MASK;
        return near ? word >>> EPOCH_BITS : 0;
    }
}
