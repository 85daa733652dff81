package org.lwktlab.slab.workload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.NullPort;
import org.lwktlab.slab.Slab;

/**
 * Producers allocate, consumers free: the remote-free pattern of a network stack. Producer {@code p}
 * runs on CPU {@code p} (of {@code producers}); consumers run on the remaining CPUs (on CPU 0 when there
 * is only one). Each producer keeps {@code window} batches in flight; a batch is {@code batch} chunks
 * drawn from a size mix, each stamped with a unique tag in its first and last eight bytes. A consumer
 * checks every tag, frees every chunk, and replies the batch, which the producer refills. The batch
 * carriers are messages made once at start, so the steady state allocates nothing but what the
 * allocator under test allocates.
 *
 * <p><b>What it proves.</b> {@link #verify()}: every chunk allocated was freed (counts match), and no
 * chunk was handed out twice while live (a tag read back differently). Together with the slab's own
 * double-free detection and leak report this is "every chunk freed exactly once".
 *
 * <p><b>Time and waiting.</b> Latency stamps read {@link Lwkt#nanoTime()} and {@link #stop} waits through
 * {@link Kernel#awaitOutside}, so the workload runs unchanged as a deterministic simulation (its producers
 * and consumers are LWKT threads; it starts no thread of its own).
 *
 * <p><b>Invariants.</b> Each producer's and consumer's counters are written only by its CPU; a batch is
 * owned by one side at a time (the message hand-off publishes its contents).
 */
public final class RemoteFreeWorkload {
    /** Longs per cache line: counters of different CPUs sit a line apart. */
    private static final int LINE = 8;
    /** Size-mix table length: each allocation picks one entry. */
    private static final int MIX = 256;

    /** Told about each batch a consumer finished; runs on the consumer's CPU (single writer). */
    @FunctionalInterface
    public interface BatchListener {
        /**
         * @param consumer     the consumer's index (0-based)
         * @param chunks       chunks checked and freed
         * @param latencyNanos time since the producer started filling the batch
         */
        void consumed(int consumer, int chunks, long latencyNanos);
    }

    /**
     * Settings.
     *
     * @param producers CPUs that allocate (the first ones); the rest consume. 0 = half, rounded up.
     * @param batch     chunks per hand-off
     * @param window    batches each producer keeps in flight
     * @param sizes     the size mix, as {@link #sizeMix(String)} reads it
     * @param seed      randomness of the size choice
     */
    public record Config(int producers, int batch, int window, String sizes, long seed) {
        public Config {
            Objects.requireNonNull(sizes, "sizes");
            if (producers < 0) {
                throw new IllegalArgumentException("producers must be >= 0 (0 = half the CPUs), got " + producers);
            }
            if (batch < 1 || window < 1) {
                throw new IllegalArgumentException("batch and window must be >= 1, got batch " + batch + ", window " + window);
            }
            sizeMix(sizes);
        }

        /** 64 chunks a batch, 4 batches in flight per producer, the default mix. */
        public static Config defaults() {
            return new Config(0, 64, 4, DEFAULT_MIX, 1);
        }
    }

    /** A network-stack-like mix: headers, small packets, MTU-size packets, pages. */
    public static final String DEFAULT_MIX = "64:40,256:30,1500:20,4096:10";

    private final Kernel kernel;
    private final Slab slab;
    private final int batch;
    private final int window;
    private final int nprod;
    private final int ncons;
    private final LwktThread[] producers;
    private final LwktThread[] consumers;
    private final long[] allocated;
    private final long[] freed;
    private final long[] mismatches;
    private final long[] batches;
    private final AtomicInteger drained = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private volatile String firstFailure;
    private volatile boolean stop;
    private boolean started;

    /** One hand-off: the chunks, their tags and requested sizes. Made once per window slot. */
    static final class ChunkBatch extends Message {
        final long[] handles;
        final long[] tags;
        final int[] sizes;
        int n;
        long started;
        int nextConsumer;

        ChunkBatch(int batch) {
            handles = new long[batch];
            tags = new long[batch];
            sizes = new int[batch];
        }
    }

    public RemoteFreeWorkload(Kernel kernel, Slab slab, Config config, BatchListener listener) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.slab = Objects.requireNonNull(slab, "slab");
        Objects.requireNonNull(listener, "listener");
        int n = kernel.ncpus();
        this.nprod = n == 1 ? 1 : config.producers() == 0 ? (n + 1) / 2 : config.producers();
        if (n > 1 && nprod >= n) {
            throw new IllegalArgumentException("producers (" + nprod + ") must leave at least one of the " + n
                    + " CPUs to consume");
        }
        this.ncons = n == 1 ? 1 : n - nprod;
        this.batch = config.batch();
        this.window = config.window();
        int[] mix = sizeMix(config.sizes());
        this.allocated = new long[nprod * LINE];
        this.batches = new long[nprod * LINE];
        this.freed = new long[ncons * LINE];
        this.mismatches = new long[ncons * LINE];
        this.consumers = new LwktThread[ncons];
        for (int c = 0; c < ncons; c++) {
            final int me = c;
            consumers[c] = LwktThread.builder("slab-consumer" + c).handler(m -> consume(me, (ChunkBatch) m, listener))
                    .spawn(kernel, n == 1 ? 0 : nprod + c);
        }
        this.producers = new LwktThread[nprod];
        for (int p = 0; p < nprod; p++) {
            final int me = p;
            final SplittableRandom rnd = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + p);
            final long[] seq = new long[1];
            final int[] inFlight = new int[1];
            producers[p] = LwktThread.builder("slab-producer" + p).handler(m -> {
                if (m instanceof ChunkBatch b) {
                    if (stop) {
                        if (--inFlight[0] == 0) {
                            drained.incrementAndGet();
                        }
                        return;
                    }
                    fillAndSend(me, b, rnd, mix, seq);
                    return;
                }
                for (int i = 0; i < window; i++) { // kick-off: the window's batches, made once
                    ChunkBatch b = new ChunkBatch(batch);
                    b.init(producers[me].port());
                    b.nextConsumer = (me + i) % ncons;
                    inFlight[0]++;
                    fillAndSend(me, b, rnd, mix, seq);
                }
                Lwkt.replymsg(m, Errno.OK);
            }).spawn(kernel, p);
        }
    }

    /**
     * Parses a size mix {@code "size:weight,..."} (e.g. {@code "64:40,1500:60"}; a size alone has weight
     * 1) into a table of {@value #MIX} sizes in those proportions.
     *
     * @throws IllegalArgumentException naming the bad entry and the valid range
     */
    public static int[] sizeMix(String spec) {
        List<int[]> entries = new ArrayList<>();
        long total = 0;
        for (String part : spec.split(",")) {
            String t = part.trim();
            if (t.isEmpty()) {
                continue;
            }
            String[] sw = t.split(":");
            try {
                int size = Integer.parseInt(sw[0].trim());
                int weight = sw.length > 1 ? Integer.parseInt(sw[1].trim()) : 1;
                if (sw.length > 2 || size < 16 || size > Slab.MAX_SIZE || weight < 1) {
                    throw new NumberFormatException();
                }
                entries.add(new int[] {size, weight});
                total += weight;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("size mix entry '" + t + "': expected size[:weight] with size 16.."
                        + Slab.MAX_SIZE + " and weight >= 1 (e.g. 64:40,1500:60)");
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("size mix '" + spec + "' is empty; expected size[:weight],... (e.g. "
                    + DEFAULT_MIX + ")");
        }
        int[] table = new int[MIX];
        int k = 0;
        long acc = 0;
        for (int[] e : entries) {
            acc += e[1];
            int upto = (int) Math.round((double) acc * MIX / total);
            while (k < upto) {
                table[k++] = e[0];
            }
        }
        return table;
    }

    private void fillAndSend(int me, ChunkBatch b, SplittableRandom rnd, int[] mix, long[] seq) {
        b.started = Lwkt.nanoTime();
        final long base = (long) me << 48;
        for (int i = 0; i < batch; i++) {
            int size = mix[rnd.nextInt(MIX)];
            long h = slab.alloc(size);
            long tag = base | ++seq[0];
            slab.putLong(h, 0, tag);
            slab.putLong(h, size - 8, tag);
            b.handles[i] = h;
            b.tags[i] = tag;
            b.sizes[i] = size;
        }
        b.n = batch;
        allocated[me * LINE] += batch;
        batches[me * LINE]++;
        int c = b.nextConsumer;
        b.nextConsumer = c + 1 == ncons ? 0 : c + 1;
        Lwkt.sendmsg(consumers[c].port(), b);
    }

    private void consume(int me, ChunkBatch b, BatchListener listener) {
        int bad = 0;
        final int n = b.n;
        for (int i = 0; i < n; i++) {
            long h = b.handles[i];
            long tag = b.tags[i];
            if (slab.getLong(h, 0) != tag || slab.getLong(h, b.sizes[i] - 8) != tag) {
                bad++;
            }
            try {
                slab.free(h);
            } catch (RuntimeException e) {
                failed.incrementAndGet();
                if (firstFailure == null) {
                    firstFailure = e.toString();
                }
            }
        }
        b.n = 0;
        freed[me * LINE] += n;
        mismatches[me * LINE] += bad;
        listener.consumed(me, n, Lwkt.nanoTime() - b.started);
        Lwkt.replymsg(b, Errno.OK);
    }

    /** Starts the producers. Once. */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("remote-free workload already started");
        }
        started = true;
        for (LwktThread p : producers) {
            Lwkt.sendmsg(p.port(), new Message(NullPort.get()));
        }
    }

    /**
     * Stops refilling and waits (up to {@code limitSeconds} of real time) until every batch in flight came
     * back. Under a deterministic simulation it drives the simulation until then instead (call it from the
     * thread controlling the simulation).
     *
     * @throws IllegalStateException if they did not (or the simulation went quiet first)
     */
    public void stop(long limitSeconds) {
        stop = true;
        if (!kernel.awaitOutside("remote-free producers to get every batch in flight back",
                Duration.ofSeconds(limitSeconds), () -> drained.get() == nprod)) {
            throw new IllegalStateException("remote-free workload: " + (nprod - drained.get()) + " of " + nprod
                    + " producers still had batches in flight after " + limitSeconds + " s");
        }
    }

    /** Chunks allocated so far (exact after {@link #stop}). */
    public long allocated() {
        return sum(allocated, nprod);
    }

    /** Chunks freed so far (exact after {@link #stop}). */
    public long freed() {
        return sum(freed, ncons);
    }

    /** Chunks whose tags read back wrong: handed out twice while live, or overwritten. */
    public long mismatches() {
        return sum(mismatches, ncons);
    }

    /** Batches handed to consumers. */
    public long batches() {
        return sum(batches, nprod);
    }

    /** Producer CPUs (0 .. producers-1). */
    public int producers() {
        return nprod;
    }

    /** Consumer CPUs (the rest; CPU 0 itself on a one-CPU kernel). */
    public int consumers() {
        return ncons;
    }

    private static long sum(long[] a, int n) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            s += a[i * LINE];
        }
        return s;
    }

    /** After {@link #stop}: what went wrong, or nothing. */
    public List<String> verify() {
        List<String> problems = new ArrayList<>();
        if (allocated() != freed()) {
            problems.add("chunks allocated " + allocated() + " != chunks freed " + freed());
        }
        if (mismatches() != 0) {
            problems.add(mismatches() + " chunk(s) read back another chunk's tag (handed out twice while live)");
        }
        if (failed.get() != 0) {
            problems.add(failed.get() + " free(s) failed; first: " + firstFailure);
        }
        return problems;
    }

    @Override
    public String toString() {
        return "RemoteFreeWorkload[" + nprod + " producers, " + ncons + " consumers, batch " + batch + ", window " + window
                + ", " + slab + " on " + kernel.name() + "]";
    }
}
