package org.lwktlab.bench.ipi;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.EventTranslator;
import com.lmax.disruptor.RingBuffer;
import java.util.ArrayList;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.SpscArrayQueue;
import org.lwktlab.bench.support.Driver;
import org.lwktlab.bench.support.Flags;
import org.lwktlab.bench.support.Line;
import org.lwktlab.ipi.IpiErrorHandler;
import org.lwktlab.ipi.IpiFabric;
import org.lwktlab.ipi.IpiFunction;
import org.lwktlab.ipi.IpiQueue;
import org.lwktlab.lwkt.LwktThread;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * One-way hand-off throughput, producer thread to consumer thread, in messages per second received
 * (the {@code messages} counter; the groups' own primary score counts invocations and means nothing).
 * Every variant is a JMH group of two threads — a producer sending bursts of
 * {@value #BURST} entries (one CPU step's worth: {@link LwktThread#DEFAULT_BATCH}) and a consumer draining
 * whatever is there, in batches — over a ring of {@value #CAPACITY} entries:
 * <ul>
 *   <li>{@code ipiFabric}: {@link IpiFabric#send} and, once per burst, {@link IpiFabric#flushWakeups}
 *       (the one fence a CPU step pays); the consumer runs {@link IpiFabric#process} — every inbound
 *       ring, the submission queue, probes on. A full ring takes the fabric's own wait (kick the target,
 *       drain one's own rings, retry).</li>
 *   <li>{@code ipiQueue}: the bare {@link IpiQueue}: {@code offer} / {@code drain}.</li>
 *   <li>{@code jctoolsSpsc}, {@code agronaSpsc}: {@code offer} / batch {@code drain} of JCTools'
 *       {@code SpscArrayQueue} and Agrona's {@code OneToOneConcurrentArrayQueue}.</li>
 *   <li>{@code disruptor}: a single-producer {@code RingBuffer} with {@code tryPublishEvent} and an
 *       {@code EventPoller} (the Disruptor's batch-drain consumer) — 1P-1C.</li>
 *   <li>{@code arrayBlockingQueue}: {@code offer} / {@code drainTo} (one lock per batch: its fastest use).</li>
 *   <li>{@code linkedTransferQueue}: {@code offer} / {@code poll}, held to {@value #CAPACITY} in flight by
 *       a producer credit (it is unbounded), one node allocated per message.</li>
 * </ul>
 * Producers busy-retry a full ring (no pause, no back-off) and give up only once JMH says the
 * measurement is over; the IPI producers then stop sending before they could wait on a consumer that
 * has left.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Flags.ADD_EXPORTS, Flags.MISC, Flags.UNSAFE, Flags.NATIVE, Flags.HEAP_MIN, Flags.HEAP_MAX})
public class OneWayThroughput {
    /** Entries per ring. */
    public static final int CAPACITY = 256;
    /** Entries per producer invocation. */
    public static final int BURST = LwktThread.DEFAULT_BATCH;
    /** Most entries one consumer invocation takes. */
    static final int DRAIN_LIMIT = 1024;
    static final Object TOKEN = new Object();
    static final IpiFunction SINK = (cpu, a, v) -> { };
    static final IpiErrorHandler RETHROW = (cpu, f, arg, error) -> {
        throw new IllegalStateException("IPI function failed on cpu " + cpu, error);
    };

    /** Messages the consumer took; JMH reports it per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Received {
        public long messages;

        @Setup(Level.Iteration)
        public void reset() {
            messages = 0;
        }
    }

    // ------------------------------------------------------------------ IpiFabric

    @State(Scope.Group)
    public static class Fabric {
        final IpiFabric fabric = new IpiFabric(IpiFabric.Config.of(2).withRingCapacity(CAPACITY));

        @Setup(Level.Trial)
        public void errors() {
            fabric.onError(RETHROW);
        }
    }

    @Benchmark
    @Group("ipiFabric")
    @GroupThreads(1)
    public void ipiFabricSend(Fabric s, Control ctl, Driver d) {
        if (ctl.stopMeasurement) {
            return;
        }
        final IpiFabric f = s.fabric;
        for (int i = 0; i < BURST; i++) {
            f.send(0, 1, SINK, null, i);
        }
        f.flushWakeups(0);
    }

    @Benchmark
    @Group("ipiFabric")
    @GroupThreads(1)
    public void ipiFabricProcess(Fabric s, Received r, Driver d) {
        r.messages += s.fabric.process(1);
        s.fabric.flushWakeups(1);
    }

    // ------------------------------------------------------------------ bare IpiQueue

    @State(Scope.Group)
    public static class Queue {
        final IpiQueue q = new IpiQueue(CAPACITY);
    }

    @Benchmark
    @Group("ipiQueue")
    @GroupThreads(1)
    public void ipiQueueOffer(Queue s, Control ctl, Driver d) {
        final IpiQueue q = s.q;
        for (int i = 0; i < BURST; i++) {
            while (!q.offer(SINK, null, i)) {
                if (ctl.stopMeasurement) {
                    return;
                }
            }
        }
    }

    @Benchmark
    @Group("ipiQueue")
    @GroupThreads(1)
    public void ipiQueueDrain(Queue s, Received r, Driver d) {
        r.messages += s.q.drain(1, DRAIN_LIMIT, RETHROW);
    }

    // ------------------------------------------------------------------ JCTools

    @State(Scope.Group)
    public static class Jctools {
        static final MessagePassingQueue.Consumer<Object> NOOP = e -> { };
        final SpscArrayQueue<Object> q = new SpscArrayQueue<>(CAPACITY);
    }

    @Benchmark
    @Group("jctoolsSpsc")
    @GroupThreads(1)
    public void jctoolsOffer(Jctools s, Control ctl, Driver d) {
        final SpscArrayQueue<Object> q = s.q;
        for (int i = 0; i < BURST; i++) {
            while (!q.offer(TOKEN)) {
                if (ctl.stopMeasurement) {
                    return;
                }
            }
        }
    }

    @Benchmark
    @Group("jctoolsSpsc")
    @GroupThreads(1)
    public void jctoolsDrain(Jctools s, Received r, Driver d) {
        r.messages += s.q.drain(Jctools.NOOP, DRAIN_LIMIT);
    }

    // ------------------------------------------------------------------ Agrona

    @State(Scope.Group)
    public static class Agrona {
        static final java.util.function.Consumer<Object> NOOP = e -> { };
        final OneToOneConcurrentArrayQueue<Object> q = new OneToOneConcurrentArrayQueue<>(CAPACITY);
    }

    @Benchmark
    @Group("agronaSpsc")
    @GroupThreads(1)
    public void agronaOffer(Agrona s, Control ctl, Driver d) {
        final OneToOneConcurrentArrayQueue<Object> q = s.q;
        for (int i = 0; i < BURST; i++) {
            while (!q.offer(TOKEN)) {
                if (ctl.stopMeasurement) {
                    return;
                }
            }
        }
    }

    @Benchmark
    @Group("agronaSpsc")
    @GroupThreads(1)
    public void agronaDrain(Agrona s, Received r, Driver d) {
        r.messages += s.q.drain(Agrona.NOOP, DRAIN_LIMIT);
    }

    // ------------------------------------------------------------------ Disruptor

    /** The Disruptor's pre-allocated entry. */
    public static final class Event {
        long value;
    }

    /** Counts what the poller hands it. Consumer thread only. */
    static final class Counting implements EventPoller.Handler<Event> {
        long seen;

        @Override
        public boolean onEvent(Event event, long sequence, boolean endOfBatch) {
            seen++;
            return true;
        }
    }

    @State(Scope.Group)
    public static class Disruptor {
        static final EventTranslator<Event> PUBLISH = (e, seq) -> e.value = seq;
        final RingBuffer<Event> ring = RingBuffer.createSingleProducer(Event::new, CAPACITY, new BusySpinWaitStrategy());
        final EventPoller<Event> poller = ring.newPoller();
        final Counting handler = new Counting();

        @Setup(Level.Trial)
        public void gate() {
            ring.addGatingSequences(poller.getSequence());
        }
    }

    @Benchmark
    @Group("disruptor")
    @GroupThreads(1)
    public void disruptorPublish(Disruptor s, Control ctl, Driver d) {
        final RingBuffer<Event> ring = s.ring;
        for (int i = 0; i < BURST; i++) {
            while (!ring.tryPublishEvent(Disruptor.PUBLISH)) {
                if (ctl.stopMeasurement) {
                    return;
                }
            }
        }
    }

    @Benchmark
    @Group("disruptor")
    @GroupThreads(1)
    public void disruptorPoll(Disruptor s, Received r, Driver d) throws Exception {
        final Counting h = s.handler;
        final long before = h.seen;
        s.poller.poll(h);
        r.messages += h.seen - before;
    }

    // ------------------------------------------------------------------ ArrayBlockingQueue

    @State(Scope.Group)
    public static class Abq {
        final ArrayBlockingQueue<Object> q = new ArrayBlockingQueue<>(CAPACITY);
        /** The consumer's batch; consumer thread only, cleared after each drain. */
        final ArrayList<Object> batch = new ArrayList<>(DRAIN_LIMIT);
    }

    @Benchmark
    @Group("arrayBlockingQueue")
    @GroupThreads(1)
    public void abqOffer(Abq s, Control ctl, Driver d) {
        final ArrayBlockingQueue<Object> q = s.q;
        for (int i = 0; i < BURST; i++) {
            while (!q.offer(TOKEN)) {
                if (ctl.stopMeasurement) {
                    return;
                }
            }
        }
    }

    @Benchmark
    @Group("arrayBlockingQueue")
    @GroupThreads(1)
    public void abqDrain(Abq s, Received r, Driver d) {
        int n = s.q.drainTo(s.batch, DRAIN_LIMIT);
        s.batch.clear();
        r.messages += n;
    }

    // ------------------------------------------------------------------ LinkedTransferQueue

    @State(Scope.Group)
    public static class Ltq {
        final LinkedTransferQueue<Object> q = new LinkedTransferQueue<>();
        /** Messages the consumer has taken, published once per drain. */
        final Line taken = new Line();
        /** Producer only: messages offered, and its last view of {@link #taken}. */
        long offered;
        long takenCache;
        /** Consumer only. */
        long consumed;
    }

    @Benchmark
    @Group("linkedTransferQueue")
    @GroupThreads(1)
    public void ltqOffer(Ltq s, Control ctl, Driver d) {
        final LinkedTransferQueue<Object> q = s.q;
        for (int i = 0; i < BURST; i++) {
            while (s.offered - s.takenCache >= CAPACITY) {
                s.takenCache = s.taken.getAcquire();
                if (ctl.stopMeasurement) {
                    return;
                }
            }
            q.offer(TOKEN);
            s.offered++;
        }
    }

    @Benchmark
    @Group("linkedTransferQueue")
    @GroupThreads(1)
    public void ltqPoll(Ltq s, Received r, Driver d) {
        final LinkedTransferQueue<Object> q = s.q;
        int n = 0;
        while (n < DRAIN_LIMIT && q.poll() != null) {
            n++;
        }
        if (n > 0) {
            s.consumed += n;
            s.taken.setRelease(s.consumed);
            r.messages += n;
        }
    }
}
