package org.lwktlab.ipi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/*
 * Field layout, JCTools-style: the padding classes keep the producer's line, the consumer's line and
 * the read-mostly final fields apart (HotSpot lays superclass fields out first), with 128 bytes between
 * them so adjacent-line prefetch does not couple them either.
 */
abstract class IpiQueuePad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p0a, p0b, p0c, p0d, p0e, p0f;
}

abstract class IpiQueueProducerFields extends IpiQueuePad0 {
    /** Next slot to write. Written only by the producer (release). */
    long windex;
    /** Producer's last view of {@code rindex}; refreshed only when the ring looks full. */
    long rindexCache;
}

abstract class IpiQueuePad1 extends IpiQueueProducerFields {
    long p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p1a, p1b, p1c, p1d, p1e, p1f;
}

abstract class IpiQueueConsumerFields extends IpiQueuePad1 {
    /** Next slot to read. Written only by the consumer (release), advanced before the callback runs. */
    long rindex;
    /** Completed through here: written by the consumer (release) after a callback returns. */
    long xindex;
    /** Consumer's last view of {@code windex}; refreshed only when the ring looks empty. */
    long windexCache;
    /** Nesting depth of {@link IpiQueue#drain} on the consumer (a sender waiting for room drains). */
    int depth;
    /** Entries available at the start of the latest drain pass, for depth probes. */
    long lastAvailable;
}

abstract class IpiQueuePad2 extends IpiQueueConsumerFields {
    long p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p2a, p2b, p2c, p2d, p2e, p2f;
}

/**
 * The single-producer single-consumer ring from one CPU to another (DragonFly's {@code lwkt_ipiq}).
 * Each entry is an {@link IpiFunction} with a reference and a numeric argument, kept in parallel
 * arrays so a send allocates nothing.
 *
 * <p><b>Invariants</b> (dragonfly.md §1, §9.1–9.4):
 * <ul>
 *   <li>Only the producer writes {@code windex}, only the consumer writes {@code rindex} and
 *       {@code xindex}; indices run free and a slot is {@code index & mask}.</li>
 *   <li>{@code xindex <= rindex <= windex} and {@code windex - rindex <= capacity}: the ring never
 *       overfills; a full {@link #offer} returns false and the producer waits (see
 *       {@link IpiFabric#send}).</li>
 *   <li>Entries run exactly once, in enqueue order. The producer's slot writes happen-before the
 *       consumer's reads through the release store of {@code windex} and the acquire load of it; the
 *       consumer's slot clears happen-before the producer's reuse through {@code rindex} likewise.</li>
 *   <li>{@code rindex} is advanced before the callback runs, so the slot is free early and a nested
 *       drain (the consumer is itself waiting to send) continues after it. {@code xindex} is written
 *       only by the outermost drain of this ring, after its callback returns, so
 *       {@code xindex >= seq} means every entry up to {@code seq} has finished.</li>
 * </ul>
 *
 * <p>Why not a JCTools or Agrona queue: they carry one reference per slot, so a three-field entry
 * would need an allocated carrier per send; they have no completion index for {@code waitIpiq}; and
 * JCTools' batch {@code drain} caches the consumer index across callbacks, which a re-entrant drain
 * breaks. The hot-path discipline is theirs: cached opposite indices, release/acquire only, padding.
 */
public final class IpiQueue extends IpiQueuePad2 {
    private static final VarHandle WINDEX;
    private static final VarHandle RINDEX;
    private static final VarHandle XINDEX;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            WINDEX = l.findVarHandle(IpiQueueProducerFields.class, "windex", long.class);
            RINDEX = l.findVarHandle(IpiQueueConsumerFields.class, "rindex", long.class);
            XINDEX = l.findVarHandle(IpiQueueConsumerFields.class, "xindex", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int capacity;
    private final int mask;
    /** {@code refs[2i]} = function, {@code refs[2i+1]} = argument of slot {@code i}. */
    private final Object[] refs;
    private final long[] vals;

    /**
     * @param capacity entries the ring holds; a power of two, at least 2
     * @throws IllegalArgumentException otherwise
     */
    public IpiQueue(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity must be a power of two >= 2, got " + capacity);
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.refs = new Object[capacity * 2];
        this.vals = new long[capacity];
    }

    public int capacity() {
        return capacity;
    }

    /**
     * Enqueues an entry. Producer only.
     *
     * @return false if the ring is full (nothing was written)
     */
    public boolean offer(IpiFunction function, Object arg, long arg2) {
        final long w = windex;
        if (w - rindexCache >= capacity) {
            rindexCache = (long) RINDEX.getAcquire(this);
            if (w - rindexCache >= capacity) {
                return false;
            }
        }
        final int i = (int) w & mask;
        refs[i << 1] = function;
        refs[(i << 1) + 1] = arg;
        vals[i] = arg2;
        WINDEX.setRelease(this, w + 1);
        return true;
    }

    /**
     * Runs up to {@code limit} queued entries in order. Consumer only; re-entrant (a callback may lead
     * to a nested drain of this ring, which continues where the outer one is).
     *
     * @return number of entries run
     */
    public int drain(int cpu, int limit, IpiErrorHandler onError) {
        int n = 0;
        depth++;
        try {
            final long w0 = (long) WINDEX.getAcquire(this);
            windexCache = w0;
            lastAvailable = w0 - rindex;
            while (n < limit) {
                final long r = rindex;
                if (r - windexCache >= 0) {
                    windexCache = (long) WINDEX.getAcquire(this);
                    if (r - windexCache >= 0) {
                        break;
                    }
                }
                final int i = (int) r & mask;
                final IpiFunction f = (IpiFunction) refs[i << 1];
                final Object a = refs[(i << 1) + 1];
                final long v = vals[i];
                refs[i << 1] = null;
                refs[(i << 1) + 1] = null;
                RINDEX.setRelease(this, r + 1);
                n++;
                try {
                    f.ipi(cpu, a, v);
                } catch (Throwable t) {
                    onError.ipiFailed(cpu, f, a, t);
                }
                if (depth == 1) {
                    XINDEX.setRelease(this, rindex);
                }
            }
        } finally {
            depth--;
        }
        return n;
    }

    /** Producer side: entries enqueued so far (the next sequence number minus one). */
    public long producerIndex() {
        return (long) WINDEX.getAcquire(this);
    }

    /** Entries dequeued so far. Any thread. */
    public long consumerIndex() {
        return (long) RINDEX.getAcquire(this);
    }

    /** Entries whose function has returned. Any thread. */
    public long completedIndex() {
        return (long) XINDEX.getAcquire(this);
    }

    /** Entries waiting, as seen now by any thread (a snapshot; may be stale by the time it returns). */
    public int size() {
        long r = (long) RINDEX.getAcquire(this);
        long w = (long) WINDEX.getAcquire(this);
        return (int) Math.max(0, Math.min(capacity, w - r));
    }

    /** True if nothing is queued. Any thread. */
    public boolean isEmpty() {
        return (long) RINDEX.getAcquire(this) >= (long) WINDEX.getAcquire(this);
    }

    /** Entries available at the start of the latest drain. Consumer only. */
    long lastAvailable() {
        return lastAvailable;
    }

    /** True when at least {@code threshold} entries are queued, as the producer sees it. Producer only. */
    boolean producerOccupancyAtLeast(int threshold) {
        long w = windex;
        if (w - rindexCache < threshold) {
            return false;
        }
        rindexCache = (long) RINDEX.getAcquire(this);
        return w - rindexCache >= threshold;
    }
}
