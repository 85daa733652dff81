package org.lwktlab.metrics.sample;

import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * An HdrHistogram over the most recent stretch of time: the window is cut into slots, each slot is a
 * histogram of one slice, and a slot whose slice has passed is cleared before it is reused. Quantiles
 * read from {@link #snapshot} therefore follow what happens now rather than the whole run, as a
 * Prometheus summary's quantiles should.
 *
 * <p>The histograms resize themselves: a slot covers only the range its values reached, so merging
 * slots of small depths (the common case) touches a few hundred counts, not the whole trackable range.
 *
 * <p><b>Invariant:</b> a slot holds values from exactly one slice (its {@code epoch}); a snapshot merges
 * only slots whose slice lies within the window ending now. Not thread-safe: the owner (the sampler or
 * the exporter) serialises calls.
 */
public final class SlidingHistogram {
    private final Histogram[] slots;
    private final long[] epochs;
    private final long sliceNanos;
    private final long highest;
    private final Histogram merged;

    /**
     * @param highest largest value tracked; larger values are clamped to it, never dropped
     * @param digits  significant decimal digits (HdrHistogram precision), 1..5
     * @param window  how far back quantiles look
     * @param slots   how many slices the window is cut into (more: smoother expiry, more memory)
     */
    public SlidingHistogram(long highest, int digits, Duration window, int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("sliding histogram needs at least one slot, got " + slots);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("sliding histogram window must be positive, got " + window);
        }
        this.highest = highest;
        this.slots = new Histogram[slots];
        this.epochs = new long[slots];
        this.sliceNanos = Math.max(1, window.toNanos() / slots);
        for (int i = 0; i < slots; i++) {
            this.slots[i] = new Histogram(digits); // auto-resizing
            this.epochs[i] = Long.MIN_VALUE;
        }
        this.merged = new Histogram(digits);
    }

    /** Records one value at time {@code nowNanos} (a {@link System#nanoTime} reading). */
    public void record(long value, long nowNanos) {
        slot(nowNanos).recordValue(Math.max(0, Math.min(value, highest)));
    }

    /** Adds every value of {@code h} at time {@code nowNanos}. */
    public void add(Histogram h, long nowNanos) {
        if (h.getTotalCount() > 0) {
            slot(nowNanos).add(h);
        }
    }

    /**
     * Everything recorded within the window that ends at {@code nowNanos}. The returned histogram is
     * reused by the next call; copy it to keep it.
     */
    public Histogram snapshot(long nowNanos) {
        long now = Math.floorDiv(nowNanos, sliceNanos);
        merged.reset();
        for (int i = 0; i < slots.length; i++) {
            if (epochs[i] > now - slots.length && epochs[i] <= now) {
                merged.add(slots[i]);
            }
        }
        return merged;
    }

    private Histogram slot(long nowNanos) {
        long epoch = Math.floorDiv(nowNanos, sliceNanos);
        int i = (int) Math.floorMod(epoch, (long) slots.length);
        if (epochs[i] != epoch) {
            slots[i].reset();
            epochs[i] = epoch;
        }
        return slots[i];
    }
}
