package org.lwktlab.metrics.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.status.AtomicCounter;
import org.lwktlab.metrics.probe.HighWaterMark;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.MetricId;
import org.lwktlab.metrics.probe.ProbeRegistry;
import org.lwktlab.metrics.probe.ProbeSeries;

/**
 * Samples one {@link ProbeRegistry} at a fixed rate on its own thread, so queue depth is known over
 * time and no spike between two scrapes is lost.
 *
 * <p>Every tick it
 * <ul>
 *   <li>reads every depth gauge ({@link ProbeSeries.Gauge}) into a per-series sampled distribution
 *       ({@link Depth}: HdrHistogram, over a sliding recent window and over the current measurement
 *       window);</li>
 *   <li>is the <em>single reader</em> of every {@link HighWaterMark}: it calls
 *       {@link HighWaterMark#readAndReset} and keeps, per mark ({@link Mark}), the largest value since the
 *       exporter last asked ({@link Mark#takeMaxSinceScrape}), since the measurement window began, and
 *       over the trailing second (published into the counters file for {@code bin/lab stat});</li>
 *   <li>appends a point to a bounded {@link Timeline} (depths and high-water marks by series);</li>
 *   <li>copies function-backed series into their mirror counters ({@link ProbeRegistry#refreshMirrors}),
 *       so a process attached to a memory-mapped registry sees them.</li>
 * </ul>
 * Series registered after the start (ports created later) are picked up at the next tick.
 *
 * <p><b>Threads.</b> One sampler per registry (a second {@link #start} fails): it must be the only
 * caller of {@code readAndReset} and {@code refreshMirrors}. Its own thread ticks; every public method
 * may be called from any thread and is serialised with the ticks by one lock (nothing here is on a
 * CPU's hot path). {@link #close} the sampler before closing a memory-mapped registry: a tick reads the
 * mapped counters.
 *
 * <p><b>Timeline bound.</b> It keeps at most {@link Options#timelinePoints} points; when full it merges
 * neighbouring points pairwise (the later depth, the larger high-water mark) and records every second
 * tick from then on, so a long run keeps its whole span at a coarser step and a spike is never dropped.
 *
 * <p><b>Failures.</b> A tick that throws (a broken gauge) does not stop the sampler: the first error is
 * kept and printed once to stderr, and every failure is counted ({@link #failures}, {@link #firstFailure})
 * so a runner can fail its trial.
 */
public final class ProbeSampler implements AutoCloseable {
    private static final Set<ProbeRegistry> SAMPLED = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Largest depth a sampled distribution tracks; deeper samples are clamped to it. */
    static final long HIGHEST_DEPTH = 1L << 30;
    /** Span of {@link Mark#recentMax}: the trailing second, cut into this many slices. */
    private static final int RECENT_SLICES = 10;
    private static final long RECENT_SLICE_NANOS = TimeUnit.SECONDS.toNanos(1) / RECENT_SLICES;

    /**
     * How a sampler runs.
     *
     * @param interval       time between two ticks, 1 ms .. 10 s
     * @param timelinePoints most points the timeline keeps (>= 16); older points are merged, not dropped
     * @param recentWindow   how far back the "recent" depth distributions look (>= interval)
     */
    public record Options(Duration interval, int timelinePoints, Duration recentWindow) {
        /** 100 samples a second. */
        public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(10);
        /**
         * Ten seconds at the default interval before the timeline thins out; small enough (with its column
         * form) to keep in every trial of {@code results.json}.
         */
        public static final int DEFAULT_TIMELINE_POINTS = 1000;
        /** Quantiles of the recent distributions follow the last minute. */
        public static final Duration DEFAULT_RECENT_WINDOW = Duration.ofSeconds(60);

        public Options {
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(recentWindow, "recentWindow");
            if (interval.compareTo(Duration.ofMillis(1)) < 0 || interval.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("sampler interval must be between 1ms and 10s, got " + interval);
            }
            if (timelinePoints < 16) {
                throw new IllegalArgumentException("sampler timeline needs at least 16 points, got " + timelinePoints);
            }
            if (recentWindow.compareTo(interval) < 0) {
                throw new IllegalArgumentException("sampler recent window (" + recentWindow
                        + ") must be at least the interval (" + interval + ")");
            }
        }

        /** The defaults: 10 ms, 1000 points, one minute. */
        public static Options defaults() {
            return new Options(DEFAULT_INTERVAL, DEFAULT_TIMELINE_POINTS, DEFAULT_RECENT_WINDOW);
        }

        /** These options at {@code hz} samples per second. */
        public Options withRate(double hz) {
            if (!(hz > 0) || Double.isInfinite(hz)) {
                throw new IllegalArgumentException("sampler rate must be a positive number of samples/s, got " + hz);
            }
            return withInterval(Duration.ofNanos(Math.round(1e9 / hz)));
        }

        public Options withInterval(Duration d) {
            return new Options(d, timelinePoints, recentWindow);
        }

        public Options withTimelinePoints(int n) {
            return new Options(interval, n, recentWindow);
        }
    }

    private final ProbeRegistry registry;
    private final Options options;
    private final Labels common;
    private final long intervalNanos;
    private final long startNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Thread thread;
    private volatile boolean stopping;

    // Guarded by lock.
    private final List<Depth> depths = new ArrayList<>();
    private final List<Mark> marks = new ArrayList<>();
    private final Map<ProbeSeries, Object> tracked = new IdentityHashMap<>();
    private int seenSeries;
    private final long[] pointTimes;
    private final long[][] pointDepths;
    private final long[][] pointMarks;
    private int points;
    private int stride = 1;
    private int strideCount;
    private long[] pendingMarks = new long[0];
    private long lastTickNanos;
    private long[] lastDepths = new long[0];
    private long ticks;
    private long failures;
    private Throwable firstFailure;
    private boolean closed;

    private ProbeSampler(ProbeRegistry registry, Options options, String name) {
        this.registry = registry;
        this.options = options;
        this.common = registry.commonLabels();
        this.intervalNanos = options.interval().toNanos();
        this.startNanos = System.nanoTime();
        this.pointTimes = new long[options.timelinePoints()];
        this.pointDepths = new long[options.timelinePoints()][];
        this.pointMarks = new long[options.timelinePoints()][];
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
    }

    /**
     * Starts sampling {@code registry} on a new daemon thread, taking the first sample before it returns.
     *
     * @throws IllegalStateException if the registry already has a running sampler
     */
    public static ProbeSampler start(ProbeRegistry registry, Options options) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(options, "options");
        synchronized (SAMPLED) {
            if (!SAMPLED.add(registry)) {
                throw new IllegalStateException("this probe registry already has a sampler; a high-water mark "
                        + "has exactly one reader, so close the other sampler first");
            }
        }
        ProbeSampler s = new ProbeSampler(registry, options, "probe-sampler");
        s.sampleNow();
        s.thread.start();
        return s;
    }

    /** The registry this sampler reads. */
    public ProbeRegistry registry() {
        return registry;
    }

    public Options options() {
        return options;
    }

    /** When the sampler started, a {@link System#nanoTime} reading. */
    public long startNanos() {
        return startNanos;
    }

    // ------------------------------------------------------------------ the tick

    private void loop() {
        long next = System.nanoTime() + intervalNanos;
        while (!stopping) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
                continue;
            }
            sampleNow();
            next += intervalNanos;
            long now = System.nanoTime();
            if (now - next > intervalNanos) {
                next = now + intervalNanos; // fell behind (a stalled machine): skip, do not burst
            }
        }
    }

    /** Takes one sample now, on the calling thread (the runner does at the edges of its window). */
    public void sampleNow() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            tick(System.nanoTime());
        } catch (RuntimeException | Error e) {
            failures++;
            if (firstFailure == null) {
                firstFailure = e;
                System.err.println("probe sampler: a sample failed (" + e + "); further failures are only counted");
            }
        } finally {
            lock.unlock();
        }
    }

    private void tick(long now) {
        track();
        registry.refreshMirrors();
        long[] ds = new long[depths.size()];
        for (int i = 0; i < ds.length; i++) {
            ds[i] = depths.get(i).sample(now);
        }
        if (pendingMarks.length < marks.size()) {
            pendingMarks = Arrays.copyOf(pendingMarks, marks.size());
        }
        for (int i = 0; i < marks.size(); i++) {
            long v = marks.get(i).sample(now);
            pendingMarks[i] = Math.max(pendingMarks[i], v);
        }
        ticks++;
        lastTickNanos = now;
        lastDepths = ds;
        if (++strideCount >= stride) {
            strideCount = 0;
            appendPoint(now, ds);
        }
    }

    private void appendPoint(long now, long[] ds) {
        if (points == pointTimes.length) {
            thin();
        }
        pointTimes[points] = now;
        pointDepths[points] = ds;
        pointMarks[points] = Arrays.copyOf(pendingMarks, marks.size());
        points++;
        Arrays.fill(pendingMarks, 0);
    }

    /** Merges neighbouring points pairwise: the later time and depth, the larger high-water mark. */
    private void thin() {
        int w = 0;
        for (int r = 0; r < points; r += 2, w++) {
            if (r + 1 == points) {
                pointTimes[w] = pointTimes[r];
                pointDepths[w] = pointDepths[r];
                pointMarks[w] = pointMarks[r];
                continue;
            }
            long[] a = pointMarks[r];
            long[] b = pointMarks[r + 1];
            long[] m = Arrays.copyOf(b, Math.max(a.length, b.length));
            for (int i = 0; i < a.length; i++) {
                m[i] = Math.max(m[i], a[i]);
            }
            pointTimes[w] = pointTimes[r + 1];
            pointDepths[w] = pointDepths[r + 1];
            pointMarks[w] = m;
        }
        Arrays.fill(pointDepths, w, points, null);
        Arrays.fill(pointMarks, w, points, null);
        points = w;
        stride *= 2;
    }

    /** Starts tracking series registered since the last tick. */
    private void track() {
        List<ProbeSeries> all = registry.series();
        for (int i = seenSeries; i < all.size(); i++) {
            ProbeSeries s = all.get(i);
            if (s instanceof ProbeSeries.Gauge g) {
                depthOf(g);
            } else if (s instanceof ProbeSeries.HighWater h) {
                markOf(h);
            }
        }
        seenSeries = all.size();
    }

    private Depth depthOf(ProbeSeries.Gauge g) {
        Object t = tracked.get(g);
        if (t == null) {
            Depth d = new Depth(this, g, SeriesKey.of(g.id(), common));
            tracked.put(g, d);
            depths.add(d);
            return d;
        }
        return (Depth) t;
    }

    private Mark markOf(ProbeSeries.HighWater h) {
        Object t = tracked.get(h);
        if (t == null) {
            AtomicCounter recent = registry.auxiliaryCounter(ProbeRegistry.TYPE_RECENT_MAX, h.id().key());
            Mark m = new Mark(this, h, SeriesKey.of(h.id(), common), recent);
            tracked.put(h, m);
            marks.add(m);
            return m;
        }
        return (Mark) t;
    }

    // ------------------------------------------------------------------ reading

    /** The sampled state of gauge {@code g} of this sampler's registry (tracking starts now if new). */
    public Depth depth(ProbeSeries.Gauge g) {
        lock.lock();
        try {
            return depthOf(g);
        } finally {
            lock.unlock();
        }
    }

    /** The sampled state of high-water mark {@code h} of this sampler's registry (tracking starts now if new). */
    public Mark mark(ProbeSeries.HighWater h) {
        lock.lock();
        try {
            return markOf(h);
        } finally {
            lock.unlock();
        }
    }

    /** Every depth gauge tracked so far, in registration order. */
    public List<Depth> depths() {
        lock.lock();
        try {
            return List.copyOf(depths);
        } finally {
            lock.unlock();
        }
    }

    /** Every high-water mark tracked so far, in registration order. */
    public List<Mark> marks() {
        lock.lock();
        try {
            return List.copyOf(marks);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts a new measurement window: takes a sample (so what came before goes to the old window), then
     * clears every {@link Depth#window} distribution and {@link Mark#windowMax}. One window at a time
     * (the runner's measured window).
     */
    public void restartWindow() {
        lock.lock();
        try {
            sampleNow();
            for (Depth d : depths) {
                d.window.reset();
                d.windowSum = 0;
            }
            for (Mark m : marks) {
                m.windowMax = 0;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The timeline so far, times in seconds from {@code originNanos} (a {@link System#nanoTime} reading,
     * e.g. the start of the measured window).
     */
    public Timeline timeline(long originNanos) {
        lock.lock();
        try {
            boolean tail = strideCount > 0; // ticks since the last kept point: shown, so no recent spike is missing
            int n = points + (tail ? 1 : 0);
            List<Double> t = new ArrayList<>(n);
            for (int p = 0; p < points; p++) {
                t.add((pointTimes[p] - originNanos) / 1e9);
            }
            if (tail) {
                t.add((lastTickNanos - originNanos) / 1e9);
            }
            Map<String, List<Long>> dm = new LinkedHashMap<>();
            for (int i = 0; i < depths.size(); i++) {
                List<Long> col = new ArrayList<>(n);
                for (int p = 0; p < points; p++) {
                    col.add(cell(pointDepths[p], i));
                }
                if (tail) {
                    col.add(cell(lastDepths, i));
                }
                dm.put(depths.get(i).key, col);
            }
            Map<String, List<Long>> mm = new LinkedHashMap<>();
            for (int i = 0; i < marks.size(); i++) {
                List<Long> col = new ArrayList<>(n);
                for (int p = 0; p < points; p++) {
                    col.add(cell(pointMarks[p], i));
                }
                if (tail) {
                    col.add(i < pendingMarks.length ? pendingMarks[i] : 0L);
                }
                mm.put(marks.get(i).key, col);
            }
            return new Timeline(intervalNanos * stride / 1e9, t, dm, mm);
        } finally {
            lock.unlock();
        }
    }

    private static Long cell(long[] row, int i) {
        return i < row.length ? row[i] : null;
    }

    /** Samples taken so far. */
    public long ticks() {
        lock.lock();
        try {
            return ticks;
        } finally {
            lock.unlock();
        }
    }

    /** Samples that threw. */
    public long failures() {
        lock.lock();
        try {
            return failures;
        } finally {
            lock.unlock();
        }
    }

    /** The first exception a sample threw, or null. */
    public Throwable firstFailure() {
        lock.lock();
        try {
            return firstFailure;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the thread and waits for it (at most 10 s). The sampled state stays readable; no sample is
     * taken afterwards, so the registry may then be closed.
     *
     * @throws IllegalStateException if the thread did not stop in time (the registry must then stay open)
     */
    @Override
    public void close() {
        stopping = true;
        LockSupport.unpark(thread);
        if (thread.isAlive() && Thread.currentThread() != thread) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                throw new IllegalStateException("probe sampler thread did not stop within 10 s");
            }
        }
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                synchronized (SAMPLED) {
                    SAMPLED.remove(registry);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ per series

    /**
     * A depth gauge's sampled distribution. Every method locks the sampler; copies are returned.
     */
    public static final class Depth {
        private final ProbeSampler sampler;
        private final ProbeSeries.Gauge series;
        private final String key;
        private final SlidingHistogram recent;
        private final Histogram window = new Histogram(2); // auto-resizing: small depths stay cheap to copy
        private long last;
        private long count;
        private long sum;
        private long windowSum;

        Depth(ProbeSampler sampler, ProbeSeries.Gauge series, String key) {
            this.sampler = sampler;
            this.series = series;
            this.key = key;
            this.recent = new SlidingHistogram(HIGHEST_DEPTH, 2, sampler.options.recentWindow(), 6);
        }

        long sample(long now) {
            long v = Math.max(0, series.value()); // enqueued - dequeued read apart may dip below 0
            last = v;
            count++;
            sum += v;
            windowSum += v;
            recent.record(v, now);
            window.recordValue(Math.min(v, HIGHEST_DEPTH));
            return v;
        }

        public MetricId id() {
            return series.id();
        }

        public ProbeSeries.Gauge series() {
            return series;
        }

        /** {@link SeriesKey short key}. */
        public String key() {
            return key;
        }

        /** The latest sample. */
        public long last() {
            return locked(() -> last);
        }

        /** Samples taken (for a summary's {@code _count}). */
        public long count() {
            return locked(() -> count);
        }

        /** Sum of the samples (for a summary's {@code _sum}). */
        public long sum() {
            return locked(() -> sum);
        }

        /** Samples over the recent window ({@link Options#recentWindow}), a copy. */
        public Histogram recent() {
            sampler.lock.lock();
            try {
                return recent.snapshot(System.nanoTime()).copy();
            } finally {
                sampler.lock.unlock();
            }
        }

        /** Sum of the samples since {@link ProbeSampler#restartWindow} (or the start). */
        public long windowSum() {
            return locked(() -> windowSum);
        }

        /** Samples since {@link ProbeSampler#restartWindow} (or the start), a copy. */
        public Histogram window() {
            sampler.lock.lock();
            try {
                return window.copy();
            } finally {
                sampler.lock.unlock();
            }
        }

        private long locked(java.util.function.LongSupplier f) {
            sampler.lock.lock();
            try {
                return f.getAsLong();
            } finally {
                sampler.lock.unlock();
            }
        }
    }

    /**
     * A high-water mark as the sampler reads it. Every method locks the sampler.
     */
    public static final class Mark {
        private final ProbeSampler sampler;
        private final ProbeSeries.HighWater series;
        private final String key;
        private final AtomicCounter recentCounter;
        private final long[] slices = new long[RECENT_SLICES];
        private final long[] sliceEpochs = new long[RECENT_SLICES];
        private long sinceScrape;
        private long windowMax;
        private long last;

        Mark(ProbeSampler sampler, ProbeSeries.HighWater series, String key, AtomicCounter recentCounter) {
            this.sampler = sampler;
            this.series = series;
            this.key = key;
            this.recentCounter = recentCounter;
            Arrays.fill(sliceEpochs, Long.MIN_VALUE);
        }

        long sample(long now) {
            long v = series.mark().readAndReset();
            last = v;
            sinceScrape = Math.max(sinceScrape, v);
            windowMax = Math.max(windowMax, v);
            long epoch = Math.floorDiv(now, RECENT_SLICE_NANOS);
            int i = (int) Math.floorMod(epoch, (long) RECENT_SLICES);
            if (sliceEpochs[i] != epoch) {
                sliceEpochs[i] = epoch;
                slices[i] = 0;
            }
            slices[i] = Math.max(slices[i], v);
            long recent = 0;
            for (int s = 0; s < RECENT_SLICES; s++) {
                if (sliceEpochs[s] > epoch - RECENT_SLICES) {
                    recent = Math.max(recent, slices[s]);
                }
            }
            recentCounter.setRelease(recent);
            return v;
        }

        public MetricId id() {
            return series.id();
        }

        public ProbeSeries.HighWater series() {
            return series;
        }

        /** {@link SeriesKey short key}. */
        public String key() {
            return key;
        }

        /**
         * The largest value since the previous call, then starts over: the exporter's "max since the last
         * scrape". One caller (the exporter); it lags the owner by at most one tick.
         */
        public long takeMaxSinceScrape() {
            sampler.lock.lock();
            try {
                long v = sinceScrape;
                sinceScrape = 0;
                return v;
            } finally {
                sampler.lock.unlock();
            }
        }

        /** The largest value since {@link ProbeSampler#restartWindow} (or the start). */
        public long windowMax() {
            sampler.lock.lock();
            try {
                return windowMax;
            } finally {
                sampler.lock.unlock();
            }
        }

        /** The value the latest tick read (the largest since the tick before). */
        public long last() {
            sampler.lock.lock();
            try {
                return last;
            } finally {
                sampler.lock.unlock();
            }
        }

        /** The largest value ever observed by the owner. */
        public long allTimeMax() {
            return series.mark().allTimeMax();
        }
    }
}
