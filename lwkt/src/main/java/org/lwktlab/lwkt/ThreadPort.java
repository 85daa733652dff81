package org.lwktlab.lwkt;

import org.agrona.concurrent.status.AtomicCounter;
import org.lwktlab.metrics.probe.HighWaterMark;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.LatencyProbe;
import org.lwktlab.metrics.probe.Log2Histogram;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * An LWKT thread's own port ({@code td_msgport}): requests sent here, and replies to messages the
 * thread sent with this port as reply port, are queued and handled by the thread's
 * {@link MessageHandler} on its CPU.
 *
 * <p><b>Invariants:</b> only the owner CPU touches the queue; a put from elsewhere is an IPI (or a
 * submission) that does the insert on the owner. A request whose abort was already requested when it
 * arrives is replied {@code ABORTED} instead of queued (cancel-before-start).
 *
 * <p>Probes (labels {@code cpu}, {@code port}): enqueued, dequeued, depth, depth high-water mark,
 * messages per thread run (coalescing), sampled send→handle and send→reply latency. The depth is the
 * queue's own size, read as the exporter asks; the counts are kept in owner memory at each thread run
 * and published by the owner CPU now and then ({@link Cpu#publishProbes}), the enqueue count derived
 * at each publish ({@link #publishEnqueued}); the latencies are recorded as they are sampled.
 */
public final class ThreadPort extends OwnedPort {
    final MsgQueue queue = new MsgQueue();
    /** Whether this port's probes are written; its CPU's setting ({@link Cpu#probes}). Owner CPU only. */
    boolean probed;
    final AtomicCounter enqueued;
    final AtomicCounter dequeued;
    final Log2Histogram perRun;
    final HighWaterMark depthMax;
    final LatencyProbe handleLatency;
    final LatencyProbe replyLatency;
    /** Probe counts kept in owner memory, published by {@link #publishProbes}. Owner CPU only. */
    final PortTally tally = new PortTally(); // allocated right after queue: its front pad is the queue's back pad

    ThreadPort(String name, LwktThread td, ProbeRegistry probes, boolean probed, Labels labels) {
        super(name, td);
        this.probed = probed;
        Labels l = labels.and("port", name);
        this.enqueued = probes.counter("lwkt_port_enqueued_total", "Messages queued at this port (requests and replies)", l);
        this.dequeued = probes.counter("lwkt_port_dequeued_total", "Messages taken from this port by its thread", l);
        probes.gauge("lwkt_port_depth", "Messages waiting at this port", l, false, queue::size); // a racy read of the owner's int: current, never torn
        this.depthMax = probes.highWaterMark("lwkt_port_depth_max",
                "Largest depth of this port seen at a thread run since the last scrape", l);
        this.perRun = probes.histogram("lwkt_port_per_run",
                "Messages handled per run of the owning thread (coalescing)", l);
        this.handleLatency = probes.latency("lwkt_msg_handle_latency_seconds",
                "Sampled time from send to the start of handling, for requests to this port", l);
        this.replyLatency = probes.latency("lwkt_msg_reply_latency_seconds",
                "Sampled time from send to the reply reaching this port", l);
    }

    @Override
    void put(Message msg) {
        route(msg, Message.OP_PUT);
    }

    @Override
    void reply(Message msg) {
        route(msg, Message.OP_REPLY);
    }

    @Override
    void putLocal(Message m) {
        if (chase(m, Message.OP_PUT)) {
            return;
        }
        m.clearFlags(Message.INTRANSIT);
        if (m.abortRequested() && (m.flags() & Message.ABORTABLE) != 0) {
            Lwkt.replyAborted(m);
            return;
        }
        enqueue(m, this);
    }

    @Override
    void replyLocal(Message m) {
        if (chase(m, Message.OP_REPLY)) {
            return;
        }
        completeReply(m, this);
    }

    /** Marks a reply done on the originator's CPU and queues it for {@code via} to dispatch. */
    void completeReply(Message m, Port via) {
        m.clearFlags(Message.INTRANSIT);
        m.setFlags(Message.DONE);
        if (m.sentAt != 0 && probed) { // sentAt first: 0 but for a sample
            replyLatency.record(td.cpu.nanoTime() - m.sentAt);
        }
        enqueue(m, via);
    }

    void enqueue(Message m, Port via) {
        m.queuedOn = via;
        m.setFlags(Message.QUEUED);
        queue.add(m); // counted by no probe here: publishProbes derives the enqueue count
        td.schedule();
    }

    /** Unlinks a queued message (abort, drop). Owner CPU only. */
    void unlink(Message m) {
        queue.remove(m);
        m.queuedOn = null;
        m.clearFlags(Message.QUEUED);
        if (probed) {
            final PortTally t = tally;
            t.unlinked++;
            if (!t.queued) {
                td.cpu.queuePublish(this);
            }
        }
    }

    /**
     * Adds what this port counted in owner memory to its probes. Owner CPU only (see Cpu#publishProbes).
     *
     * @return messages its thread ran since the last publish
     */
    long publishProbes() {
        final PortTally t = tally;
        t.queued = false;
        Log2Histogram.tally(t.runs, 1, t.singleRuns);
        t.singleRuns = 0;
        final long ran = perRun.publish(t.runs);
        final long out = ran + t.unlinked;
        t.unlinked = 0;
        t.dequeuedTotal += out;
        publishEnqueued(); // before the dequeue count: a reader never sees more taken than queued
        if (out != 0) {
            dequeued.getAndAddRelease(out);
        }
        if (t.depthSeen >= 0) {
            depthMax.observe(t.depthSeen);
            t.depthSeen = -1;
        }
        return ran;
    }

    /**
     * Publishes the enqueue count, derived rather than counted: every message queued here while the
     * probes were on has since been taken (run or unlinked, {@code dequeuedTotal}) or is waiting
     * ({@code queue.size()}), so enqueued = dequeued + depth, exactly, whenever the owner looks. That
     * keeps every probe write off the path of a message into the queue (ThreadPort#enqueue) — the
     * count catches up when the owner next publishes this port: after its thread runs, when the CPU
     * parks, has idled {@code IpiFabric.PUBLISH_QUIET_STEPS} passes, switches its probes or stops
     * (Cpu#publishAllProbes), or before the thread migrates.
     *
     * <p><b>Invariants:</b> owner CPU only; the published value never decreases (while a migrating
     * thread's messages travel to its new CPU the queue looks emptier than it is, and the count holds
     * still until they land); it equals the dequeue count once the queue is empty, if the probes
     * stayed on meanwhile (a message taken with them off is not counted taken).
     */
    void publishEnqueued() {
        final PortTally t = tally;
        final long in = t.dequeuedTotal + queue.size();
        if (in > t.enqueuedPublished) {
            enqueued.getAndAddRelease(in - t.enqueuedPublished);
            t.enqueuedPublished = in;
        }
    }

    @Override
    void dispatch(Message msg) {
        td.handler.handle(msg);
    }

    /** Messages waiting now. Owner CPU only. */
    public int depth() {
        return queue.size();
    }
}
