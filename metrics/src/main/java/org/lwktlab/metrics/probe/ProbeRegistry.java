package org.lwktlab.metrics.probe;

import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.agrona.BufferUtil;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * Every probe of one kernel: where hand-off points register their instruments at boot, and where
 * exporters find them.
 *
 * <p>Counters live in an Agrona {@link CountersManager}: each gets its own 128-byte slot, so counters
 * written by different CPUs never share a cache line, and the whole set can be memory-mapped to a file
 * that {@code bin/lab stat} reads from another process ({@link #mapped}).
 *
 * <p><b>Threads.</b> Registration is synchronized and happens at boot or when a port is created, never
 * per message. Writing an instrument is for its owner only (see the package doc). {@link #series()} and
 * {@link #refreshMirrors()} are for exporters.
 */
public final class ProbeRegistry implements AutoCloseable {
    /** Agrona counter type ids, so an attached reader can tell the kinds apart. */
    public static final int TYPE_COUNTER = 1;
    public static final int TYPE_FUNCTION_COUNTER = 2;
    public static final int TYPE_GAUGE = 3;
    public static final int TYPE_HISTOGRAM_BUCKET = 4;
    public static final int TYPE_HISTOGRAM_SUM = 5;
    public static final int TYPE_HIGH_WATER = 6;
    public static final int TYPE_HIGH_WATER_MAX = 7;
    public static final int TYPE_INTERNAL = 8;
    /**
     * A high-water mark's largest value over the trailing second, published by the registry's sampler
     * ({@code org.lwktlab.metrics.sample.ProbeSampler}) for attached readers such as {@code bin/lab stat}.
     */
    public static final int TYPE_RECENT_MAX = 9;

    /** Counter slots when none is asked for. */
    public static final int DEFAULT_CAPACITY = 4096;

    private final CountersManager counters;
    private final MappedByteBuffer mapping;
    private final Path file;
    private final Labels common;
    private final List<ProbeSeries> series = new CopyOnWriteArrayList<>();
    private final Set<String> keys = new HashSet<>();
    private boolean closed;

    private ProbeRegistry(CountersManager counters, MappedByteBuffer mapping, Path file, Labels common) {
        this.counters = counters;
        this.mapping = mapping;
        this.file = file;
        this.common = common;
    }

    /**
     * A registry in process memory.
     *
     * @param capacity     number of counter slots (each histogram takes 18, each high-water mark 4)
     * @param commonLabels labels added to every series (e.g. {@code design})
     */
    public static ProbeRegistry inMemory(int capacity, Labels commonLabels) {
        checkCapacity(capacity);
        ByteBuffer meta = BufferUtil.allocateDirectAligned(capacity * CountersReader.METADATA_LENGTH, 64);
        ByteBuffer values = BufferUtil.allocateDirectAligned(capacity * CountersReader.COUNTER_LENGTH, 64);
        CountersManager cm = new CountersManager(new UnsafeBuffer(meta), new UnsafeBuffer(values));
        return new ProbeRegistry(cm, null, null, commonLabels);
    }

    /** A registry in process memory with {@link #DEFAULT_CAPACITY} slots and no common labels. */
    public static ProbeRegistry inMemory() {
        return inMemory(DEFAULT_CAPACITY, Labels.empty());
    }

    /**
     * A registry whose counters live in a memory-mapped file (see {@link CountersFile}), readable live by
     * another process.
     */
    public static ProbeRegistry mapped(Path file, int capacity, Labels commonLabels) {
        checkCapacity(capacity);
        CountersFile.Mapping m = CountersFile.create(file, capacity);
        CountersManager cm = new CountersManager(m.meta(), m.values());
        return new ProbeRegistry(cm, m.mapped(), file, commonLabels);
    }

    private static void checkCapacity(int capacity) {
        if (capacity < 64) {
            throw new IllegalArgumentException("probe capacity must be >= 64 counter slots, got " + capacity);
        }
    }

    /** Labels every series of this registry carries. */
    public Labels commonLabels() {
        return common;
    }

    /** The counters file, or null for an in-memory registry. */
    public Path file() {
        return file;
    }

    /** Reader over the raw counters, labels in {@code name{labels}} form. */
    public CountersReader countersReader() {
        return counters;
    }

    /** A single-writer monotonic counter. */
    public AtomicCounter counter(String name, String help, Labels labels) {
        return counter(name, help, labels, false);
    }

    /** A single-writer monotonic counter, optionally marked per-CPU-pair. */
    public synchronized AtomicCounter counter(String name, String help, Labels labels, boolean perPair) {
        MetricId id = claim(name, help, labels);
        AtomicCounter c = allocate(TYPE_COUNTER, id.key());
        series.add(new ProbeSeries.Counter(id, c, perPair));
        return c;
    }

    /** A monotonic count read on demand from existing state; costs the writer nothing. */
    public synchronized void functionCounter(String name, String help, Labels labels, boolean perPair,
                                             LongSupplier source) {
        Objects.requireNonNull(source, "source");
        MetricId id = claim(name, help, labels);
        series.add(new ProbeSeries.FunctionCounter(id, source, allocate(TYPE_FUNCTION_COUNTER, id.key()), perPair));
    }

    /** A gauge read on demand. */
    public synchronized void gauge(String name, String help, Labels labels, boolean perPair, LongSupplier source) {
        Objects.requireNonNull(source, "source");
        MetricId id = claim(name, help, labels);
        series.add(new ProbeSeries.Gauge(id, source, allocate(TYPE_GAUGE, id.key()), perPair));
    }

    /** A single-writer power-of-two histogram. */
    public synchronized Log2Histogram histogram(String name, String help, Labels labels) {
        MetricId id = claim(name, help, labels);
        AtomicCounter[] buckets = new AtomicCounter[Log2Histogram.BUCKETS];
        for (int i = 0; i < buckets.length; i++) {
            long le = Log2Histogram.upperBound(i);
            String leText = le == Long.MAX_VALUE ? "+Inf" : Long.toString(le);
            buckets[i] = allocate(TYPE_HISTOGRAM_BUCKET,
                    name + "_bucket" + id.labels().and("le", leText));
        }
        AtomicCounter sum = allocate(TYPE_HISTOGRAM_SUM, name + "_sum" + id.labels());
        Log2Histogram h = new Log2Histogram(buckets, sum);
        series.add(new ProbeSeries.Histogram(id, h, false));
        return h;
    }

    /** A single-writer high-water mark (window maximum plus all-time maximum). */
    public synchronized HighWaterMark highWaterMark(String name, String help, Labels labels) {
        MetricId id = claim(name, help, labels);
        AtomicCounter window = allocate(TYPE_HIGH_WATER, id.key());
        AtomicCounter closed = allocate(TYPE_INTERNAL, name + "_closed" + id.labels());
        AtomicCounter allTime = allocate(TYPE_HIGH_WATER_MAX, name + "_alltime" + id.labels());
        AtomicCounter epoch = allocate(TYPE_INTERNAL, name + "_epoch" + id.labels());
        HighWaterMark m = new HighWaterMark(window, closed, allTime, epoch);
        series.add(new ProbeSeries.HighWater(id, m, false));
        return m;
    }

    /** A sampled single-writer latency recorder. */
    public LatencyProbe latency(String name, String help, Labels labels) {
        return latency(name, help, labels, false);
    }

    /** A sampled latency recorder; {@code multiWriter} for one written by several threads. */
    public synchronized LatencyProbe latency(String name, String help, Labels labels, boolean multiWriter) {
        MetricId id = claim(name, help, labels);
        LatencyProbe p = new LatencyProbe(multiWriter);
        series.add(new ProbeSeries.Latency(id, p, false));
        return p;
    }

    /**
     * A counter that is not a series: it is never exported and never in {@link #series()}. For a reader
     * of this registry that publishes values it derives (the sampler's trailing maxima) into the counters
     * file, where an attached process can read them. Single writer, like every counter here.
     *
     * @param typeId Agrona type id, so attached readers can find it (e.g. {@link #TYPE_RECENT_MAX})
     * @param label  the counter's label in the file, {@code name{labels}} form
     */
    public synchronized AtomicCounter auxiliaryCounter(int typeId, String label) {
        if (closed) {
            throw new IllegalStateException("probe registry is closed");
        }
        Objects.requireNonNull(label, "label");
        return allocate(typeId, label);
    }

    /** All series registered so far, in registration order. */
    public List<ProbeSeries> series() {
        return new ArrayList<>(series);
    }

    /**
     * Copies the current value of every function-backed series into its mirror counter, so an attached
     * reader of the counters file sees them. For one exporter thread at a time.
     */
    public void refreshMirrors() {
        for (ProbeSeries s : series) {
            if (s instanceof ProbeSeries.FunctionCounter f) {
                f.mirror().setRelease(f.value());
            } else if (s instanceof ProbeSeries.Gauge g) {
                g.mirror().setRelease(g.value());
            }
        }
    }

    /**
     * Closes the registry: no more registrations, and a file-backed registry is unmapped (its instruments
     * must not be written afterwards). In-memory counters stay readable and are freed with the registry
     * by the garbage collector (Agrona's aligned direct buffers are slices, which cannot be freed early).
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (mapping != null) {
            IoUtil.unmap(mapping);
        }
    }

    private MetricId claim(String name, String help, Labels labels) {
        if (closed) {
            throw new IllegalStateException("probe registry is closed");
        }
        MetricId id = new MetricId(name, help, common.and(labels));
        if (!keys.add(id.key())) {
            throw new IllegalArgumentException("series " + id.key() + " is registered twice");
        }
        return id;
    }

    private AtomicCounter allocate(int type, String label) {
        if (counters.available() <= 0) {
            throw new IllegalStateException("probe registry is full (" + counters.capacity()
                    + " counter slots); raise the probe capacity (KernelConfig.probeCapacity)");
        }
        String l = label.length() > CountersReader.MAX_LABEL_LENGTH
                ? label.substring(0, CountersReader.MAX_LABEL_LENGTH) : label;
        return counters.newCounter(l, type);
    }
}
