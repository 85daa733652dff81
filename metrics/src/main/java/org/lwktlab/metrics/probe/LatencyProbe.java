package org.lwktlab.metrics.probe;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.IntervalHistogramProvider;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.SingleWriterRecorder;
import org.HdrHistogram.ValueRecorder;

/**
 * A sampled latency distribution in nanoseconds, backed by HdrHistogram's single-writer recorder.
 *
 * <p>Only sampled operations are recorded (the caller decides which), so the recorder's phaser — the
 * one atomic increment in this package — stays off the per-message path. The exporter drains interval
 * histograms and accumulates them; {@link #cumulative()} is everything recorded so far.
 */
public final class LatencyProbe {
    /** Largest value tracked: 100 s. Longer values are clamped, never dropped. */
    public static final long HIGHEST_NANOS = 100_000_000_000L;

    private final ValueRecorder recorder;
    private final IntervalHistogramProvider<Histogram> intervals;
    private final Histogram cumulative = new Histogram(1, HIGHEST_NANOS, 2);
    private Histogram recycle;

    /**
     * @param multiWriter true for a probe several threads write (then HdrHistogram's {@link Recorder},
     *                    whose writers each do an atomic increment; for paths outside the CPUs only)
     */
    LatencyProbe(boolean multiWriter) {
        if (multiWriter) {
            Recorder r = new Recorder(1, HIGHEST_NANOS, 2);
            recorder = r;
            intervals = r;
        } else {
            SingleWriterRecorder r = new SingleWriterRecorder(1, HIGHEST_NANOS, 2);
            recorder = r;
            intervals = r;
        }
    }

    /** Records one latency. Owner thread only (any thread for a multi-writer probe). */
    public void record(long nanos) {
        recorder.recordValue(Math.max(1, Math.min(nanos, HIGHEST_NANOS)));
    }

    /**
     * Everything recorded since the previous call, also folded into {@link #cumulative()}. One reader at a
     * time. The returned histogram is reused by the next call.
     */
    public synchronized Histogram interval() {
        Histogram h = intervals.getIntervalHistogram(recycle);
        cumulative.add(h);
        recycle = h;
        return h;
    }

    /** A copy of everything recorded so far (drains the recorder first). */
    public synchronized Histogram cumulative() {
        interval();
        return cumulative.copy();
    }
}
