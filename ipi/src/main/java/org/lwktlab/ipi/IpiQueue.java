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
    /** Producer's last view of {@code cindex}; refreshed only when the ring looks full. */
    long cindexCache;
}

abstract class IpiQueuePad1 extends IpiQueueProducerFields {
    long p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p1a, p1b, p1c, p1d, p1e, p1f;
}

abstract class IpiQueueConsumerFields extends IpiQueuePad1 {
    /** Next slot to read. Written only by the consumer (release), advanced before the callback runs. */
    long rindex;
    /** Completed through here: written by the consumer (release) after a callback returns. */
    long xindex;
    /** Slots below this are cleared and free for the producer: written by the consumer (release). */
    long cindex;
    /** Nesting depth of {@link IpiQueue#drain} on the consumer (a sender waiting for room drains). */
    int depth;
    /** Entries the latest drain pass found, for depth probes. */
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
 *   <li>Only the producer writes {@code windex} and the slots; only the consumer writes {@code rindex},
 *       {@code xindex} and {@code cindex}, and clears slots. Indices run free and a slot is
 *       {@code index & mask}.</li>
 *   <li>{@code xindex <= rindex <= windex}, {@code cindex <= rindex} and {@code windex - cindex <= capacity}:
 *       the ring never overfills, and the producer writes a slot only after the consumer cleared it; a
 *       full {@link #offer} returns false and the producer waits (see {@link IpiFabric#send}).</li>
 *   <li>Entries run exactly once, in enqueue order. A slot's function is its publication flag: the
 *       producer writes the argument (and the numeric argument) first and the function last with a
 *       release store; the consumer reads the function with an acquire load, so a non-null function
 *       means the whole entry is there — the consumer never reads {@code windex} to find work, and an
 *       entry costs the consumer one cache line, the one the producer wrote. {@code windex} is still
 *       published (release) after every entry, for {@link #isEmpty}, probes and {@code waitIpiq}.</li>
 *   <li>{@code rindex} is advanced before the callback runs, so a nested drain (the consumer is itself
 *       waiting to send) continues after it. The consumed slots are cleared, and handed back through
 *       {@code cindex} (release), after their callbacks return — every {@code clearBatch} entries and
 *       at the start and end of every pass, nested ones included, so a consumer waiting inside a callback
 *       still frees what it drained, and fewer than {@code clearBatch <= capacity} consumed slots are
 *       ever uncleared when a slot is read: the slot at {@code rindex} never holds a stale function,
 *       however deep drains nest. Clearing after the callback keeps the consumer's store to the producer's
 *       line behind whatever the callback sent (stores leave a core in order), so a reply is never held
 *       up by it. {@code xindex} is written only by the outermost drain of this ring, after its
 *       callback returns, so {@code xindex >= seq} means every entry up to {@code seq} has finished.</li>
 *   <li>The producer leaves a slot's numeric argument unwritten when it already holds that value (the
 *       common 0), so that line stays clean in the consumer's cache; only the producer writes it, so
 *       the value the consumer reads after the acquire is the one meant.</li>
 * </ul>
 *
 * <p>Why not a JCTools or Agrona queue: they carry one reference per slot, so a three-field entry
 * would need an allocated carrier per send; they have no completion index for {@code waitIpiq}; and
 * JCTools' batch {@code drain} caches the consumer index across callbacks, which a re-entrant drain
 * breaks. The hot-path discipline is theirs: the slot as the flag, cached opposite indices,
 * release/acquire only, padding.
 */
public final class IpiQueue extends IpiQueuePad2 {
    private static final VarHandle WINDEX;
    private static final VarHandle RINDEX;
    private static final VarHandle XINDEX;
    private static final VarHandle CINDEX;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            WINDEX = l.findVarHandle(IpiQueueProducerFields.class, "windex", long.class);
            RINDEX = l.findVarHandle(IpiQueueConsumerFields.class, "rindex", long.class);
            XINDEX = l.findVarHandle(IpiQueueConsumerFields.class, "xindex", long.class);
            CINDEX = l.findVarHandle(IpiQueueConsumerFields.class, "cindex", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int capacity;
    private final int mask;
    /** Consumed entries the consumer lets pile up before it clears them mid-pass. */
    private final int clearBatch;
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
        this.clearBatch = Math.max(1, Math.min(16, capacity / 4));
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
     * @throws NullPointerException if {@code function} is null (a null function would read as an empty slot)
     */
    public boolean offer(IpiFunction function, Object arg, long arg2) {
        if (function == null) {
            throw new NullPointerException("an IPI needs a function");
        }
        final long w = windex;
        if (w - cindexCache >= capacity) {
            cindexCache = (long) CINDEX.getAcquire(this);
            if (w - cindexCache >= capacity) {
                return false;
            }
        }
        final int i = (int) w & mask;
        if (vals[i] != arg2) {
            vals[i] = arg2;
        }
        refs[(i << 1) + 1] = arg;
        SLOT.setRelease(refs, i << 1, function);
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
        final Object[] refs = this.refs;
        final long r0 = rindex;
        int n = 0;
        boolean emptied = false;
        // A nested pass starts inside a callback whose slot (and up to clearBatch before it) is not
        // cleared yet; clearing first keeps every slot this pass reads free of a stale function.
        clear();
        depth++;
        try {
            while (n < limit) {
                final long r = rindex;
                final int i = (int) r & mask;
                final IpiFunction f = (IpiFunction) SLOT.getAcquire(refs, i << 1);
                if (f == null) {
                    emptied = true;
                    break;
                }
                final Object a = refs[(i << 1) + 1];
                final long v = vals[i];
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
                if (rindex - cindex >= clearBatch) {
                    clear();
                }
            }
        } finally {
            clear();
            depth--;
        }
        lastAvailable = (emptied ? rindex : (long) WINDEX.getAcquire(this)) - r0;
        return n;
    }

    /** Clears every consumed slot and hands them back to the producer. Consumer only. */
    private void clear() {
        final long r = rindex;
        long c = cindex;
        if (c == r) {
            return;
        }
        final Object[] refs = this.refs;
        for (; c < r; c++) {
            final int i = (int) c & mask;
            refs[i << 1] = null;
            refs[(i << 1) + 1] = null;
        }
        CINDEX.setRelease(this, r);
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

    /**
     * Entries the latest drain pass found: those it (and drains nested in it) took when it emptied the
     * ring, or those waiting at its start when it stopped at its limit. Consumer only.
     */
    long lastAvailable() {
        return lastAvailable;
    }

    /** True when at least {@code threshold} entries are queued, as the producer sees it. Producer only. */
    boolean producerOccupancyAtLeast(int threshold) {
        long w = windex;
        if (w - cindexCache < threshold) {
            return false;
        }
        cindexCache = (long) CINDEX.getAcquire(this);
        return w - cindexCache >= threshold;
    }
}
