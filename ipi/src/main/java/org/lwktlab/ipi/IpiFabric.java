package org.lwktlab.ipi;

import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.Log2Histogram;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * The N×N matrix of {@link IpiQueue}s plus each CPU's {@link SubmissionQueue} and {@link IpiSignal}:
 * everything that crosses from one CPU to another goes through here (DragonFly's
 * {@code lwkt_ipiq.c}).
 *
 * <p><b>Sending.</b> {@link #send} (active) enqueues on the {@code from→to} ring and marks {@code to}
 * in the sender's pending-wake mask; {@link #flushWakeups} — which the CPU loop runs after every
 * dispatch step, and before it idles — fences once and wakes each marked target that announced idle.
 * So a handler sending 500 messages to one busy CPU pays one fence, not 500, and a target that is
 * running is never signalled (the skipped wake-ups are counted). {@link #sendPassive} never marks the
 * target: the entry runs at the target's next drain for any reason (its idle tick included); above a
 * quarter full the passive send escalates to active, so a passive sender never waits without having
 * signalled. Sending to oneself calls the function directly.
 *
 * <p><b>Ring full.</b> The sender never drops and never blocks the fabric: while it waits for room it
 * kicks the target and drains its <em>own</em> inbound rings, so two CPUs flooding each other both
 * progress (dragonfly.md §1 "ring-full rule", §9.4). It leaves its submission queue alone meanwhile, so
 * queued outside work never nests inside a send.
 *
 * <p><b>Threads.</b> Methods taking a {@code from}/{@code cpu} must be called on that CPU's thread,
 * except {@link #submit}, which is for threads outside the kernel, and the read-only probes.
 */
public final class IpiFabric {
    /** Most entries one ring drains per pass, so one busy sender cannot starve the others. */
    private static final int DEFAULT_DRAIN_LIMIT = 1024;
    /**
     * Busy steps after which a CPU publishes the probe counts it keeps in its own memory, at the
     * latest (see {@link #flushWakeups}). A power of two. A publish costs a few hundred nanoseconds
     * (its ports' tallies read back, a release store per counter that changed); at 256 it was ~2 % of
     * a one-CPU message ping-pong (steps of ~70 ns), at 1024 it is ~0.5 % — and 1024 steps are still
     * well under a millisecond of a busy CPU, a thousandth of a scrape interval.
     */
    public static final int PUBLISH_STEPS = 1024;
    /**
     * Consecutive steps without work after which a CPU publishes what it has not yet: tens of
     * microseconds of idling (a CPU that parks publishes before it parks). Not the first idle step: a
     * ping-pong's CPU is idle between two hops for a few hundred nanoseconds to a few microseconds, and
     * a publish there (a few hundred nanoseconds of stores) lands on the next hop.
     */
    public static final int PUBLISH_QUIET_STEPS = 4096;

    private final int ncpus;
    private final int ringCapacity;
    private final int passiveEscalation;
    private final int drainLimit;
    private final IpiQueue[] rings; // rings[from * ncpus + to]
    private final IpiCpu[] cpus;
    private final ProbeRegistry probes;
    private final ReentrantLock externalCpusync = new ReentrantLock();
    private volatile IpiErrorHandler onError = IpiErrorHandler.STDERR;
    private volatile SpinAssist spinAssist;

    /**
     * Settings of a fabric.
     *
     * @param ncpus              number of CPUs, 1..64
     * @param ringCapacity       entries per ring, a power of two >= 2
     * @param submissionCapacity entries per submission queue, a power of two >= 2
     * @param submissionPolicy   what an external producer does on a full queue
     * @param probes             where to register probes; null for a private registry
     * @param probesEnabled      false turns every probe write off (for measuring their cost)
     * @param perPairProbes      also register per-ring (N²) series
     */
    public record Config(int ncpus, int ringCapacity, int submissionCapacity,
                         SubmissionQueue.FullPolicy submissionPolicy, ProbeRegistry probes,
                         boolean probesEnabled, boolean perPairProbes) {
        /** Defaults: 256-entry rings, 4096-entry submission queues, WAIT, probes on, no per-pair series. */
        public static Config of(int ncpus) {
            return new Config(ncpus, 256, 4096, SubmissionQueue.FullPolicy.WAIT, null, true, false);
        }

        public Config withRingCapacity(int c) {
            return new Config(ncpus, c, submissionCapacity, submissionPolicy, probes, probesEnabled, perPairProbes);
        }

        public Config withProbes(ProbeRegistry p, boolean enabled) {
            return new Config(ncpus, ringCapacity, submissionCapacity, submissionPolicy, p, enabled, perPairProbes);
        }
    }

    public IpiFabric(Config config) {
        Objects.requireNonNull(config, "config");
        if (config.ncpus() < 1 || config.ncpus() > CpuMask.MAX_CPUS) {
            throw new IllegalArgumentException("cpus must be between 1 and " + CpuMask.MAX_CPUS + ", got " + config.ncpus());
        }
        this.ncpus = config.ncpus();
        this.ringCapacity = config.ringCapacity();
        this.passiveEscalation = Math.max(1, ringCapacity / 4);
        this.drainLimit = Math.max(DEFAULT_DRAIN_LIMIT, ringCapacity);
        this.probes = config.probes() != null ? config.probes()
                : ProbeRegistry.inMemory(requiredProbeCapacity(ncpus, config.perPairProbes()), Labels.empty());
        this.rings = new IpiQueue[ncpus * ncpus];
        this.cpus = new IpiCpu[ncpus];
        for (int i = 0; i < ncpus; i++) {
            cpus[i] = new IpiCpu(i, ncpus);
            cpus[i].submissions = new SubmissionQueue(i, config.submissionCapacity(),
                    config.submissionPolicy(), cpus[i].signal);
        }
        for (int from = 0; from < ncpus; from++) {
            for (int to = 0; to < ncpus; to++) {
                if (from != to) {
                    rings[from * ncpus + to] = new IpiQueue(ringCapacity);
                }
            }
        }
        for (int to = 0; to < ncpus; to++) {
            IpiQueue[] in = new IpiQueue[ncpus - 1];
            int k = 0;
            for (int from = 0; from < ncpus; from++) {
                if (from != to) {
                    in[k++] = rings[from * ncpus + to];
                }
            }
            cpus[to].inbound = in;
        }
        for (IpiCpu c : cpus) {
            c.probed = config.probesEnabled();
        }
        registerProbes(config.perPairProbes());
    }

    /** Counter slots the fabric's probes need. */
    public static int requiredProbeCapacity(int ncpus, boolean perPair) {
        return 64 + ncpus * 64 + (perPair ? ncpus * ncpus * 6 : 0);
    }

    private void registerProbes(boolean perPair) {
        for (IpiCpu c : cpus) {
            Labels l = Labels.of("cpu", Integer.toString(c.id));
            c.activeSent = probes.counter("lwkt_ipi_sent_total", "IPIs sent by this CPU", l.and("kind", "active"));
            c.passiveSent = probes.counter("lwkt_ipi_sent_total", "IPIs sent by this CPU", l.and("kind", "passive"));
            c.passiveEscalated = probes.counter("lwkt_ipi_passive_escalated_total",
                    "Passive IPIs sent as active because the ring was a quarter full", l);
            c.ringFullWaits = probes.counter("lwkt_ipi_ring_full_waits_total",
                    "Times this CPU found an outbound ring full and drained its own rings while waiting", l);
            c.wakeups = probes.counter("lwkt_ipi_wakeups_total",
                    "Wake-ups this CPU sent to a target that had announced idle", l);
            c.wakeupsSkipped = probes.counter("lwkt_ipi_wakeups_skipped_total",
                    "Active IPIs this CPU sent that needed no wake-up (target running or already woken): coalesced", l);
            c.drainsCounter = probes.counter("lwkt_ipi_drains_total",
                    "Passes over this CPU's inbound rings and submission queue that found work", l);
            c.cpusyncs = probes.counter("lwkt_ipi_cpusync_total", "cpusync rendezvous this CPU initiated", l);
            c.perDrain = probes.histogram("lwkt_ipi_per_drain",
                    "Entries run per drain pass on this CPU (coalescing)", l);
            c.depthMax = probes.highWaterMark("lwkt_ipi_queue_depth_max",
                    "Largest inbound IPI + submission depth seen at a drain since the last scrape", l);
            final IpiCpu cpu = c;
            probes.functionCounter("lwkt_ipi_received_total", "IPIs dequeued by this CPU", l, false,
                    () -> received(cpu));
            probes.gauge("lwkt_ipi_queue_depth", "IPIs waiting in this CPU's inbound rings", l, false,
                    () -> inboundDepth(cpu));
            final SubmissionQueue sq = c.submissions;
            probes.functionCounter("lwkt_submission_enqueued_total",
                    "Submissions accepted from threads outside the kernel", l, false, sq::enqueued);
            probes.functionCounter("lwkt_submission_dequeued_total",
                    "Submissions taken by this CPU", l, false, sq::dequeued);
            probes.gauge("lwkt_submission_depth", "Submissions waiting for this CPU", l, false, sq::size);
            probes.functionCounter("lwkt_submission_full_waits_total",
                    "Times an external thread found this CPU's submission queue full and waited", l, false,
                    sq::fullWaits);
        }
        if (perPair) {
            for (int from = 0; from < ncpus; from++) {
                for (int to = 0; to < ncpus; to++) {
                    if (from == to) {
                        continue;
                    }
                    IpiQueue q = rings[from * ncpus + to];
                    Labels l = Labels.of("from_cpu", Integer.toString(from), "to_cpu", Integer.toString(to));
                    probes.functionCounter("lwkt_ipi_ring_enqueued_total", "Entries enqueued on this ring", l, true,
                            q::producerIndex);
                    probes.functionCounter("lwkt_ipi_ring_dequeued_total", "Entries dequeued from this ring", l, true,
                            q::consumerIndex);
                    probes.gauge("lwkt_ipi_ring_depth", "Entries waiting on this ring", l, true, q::size);
                }
            }
        }
    }

    private static long received(IpiCpu c) {
        long s = 0;
        for (IpiQueue q : c.inbound) {
            s += q.consumerIndex();
        }
        return s;
    }

    private static long inboundDepth(IpiCpu c) {
        long s = 0;
        for (IpiQueue q : c.inbound) {
            s += q.size();
        }
        return s;
    }

    /**
     * Installs the {@link SpinAssist} every spin-wait of this fabric (and of its submission queues) calls
     * instead of spinning; null restores spinning. Set before any CPU runs.
     */
    public void spinAssist(SpinAssist assist) {
        this.spinAssist = assist;
        for (IpiCpu c : cpus) {
            c.submissions.spinAssist(assist);
        }
    }

    /**
     * One back-off step of a spin-wait by CPU {@code self} (or {@link SpinAssist#EXTERNAL}): the assist
     * when one is installed, else spin for the first 64 rounds and yield after.
     */
    void backoff(int self, int spins) {
        SpinAssist a = spinAssist;
        if (a != null) {
            a.assist(self);
        } else if (spins < 64) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    /** True when a {@link SpinAssist} replaces spinning. */
    boolean assisted() {
        return spinAssist != null;
    }

    /** Installs the handler told about failing IPI functions. */
    public void onError(IpiErrorHandler handler) {
        this.onError = Objects.requireNonNull(handler, "handler");
    }

    public int ncpus() {
        return ncpus;
    }

    public int ringCapacity() {
        return ringCapacity;
    }

    /** The registry holding this fabric's probes. */
    public ProbeRegistry probes() {
        return probes;
    }

    /** The ring from {@code from} to {@code to} (for probes and tests). */
    public IpiQueue ring(int from, int to) {
        checkCpu(from);
        checkCpu(to);
        if (from == to) {
            throw new IllegalArgumentException("there is no ring from cpu " + from + " to itself");
        }
        return rings[from * ncpus + to];
    }

    /** CPU {@code cpu}'s wake-up interlock. */
    public IpiSignal signal(int cpu) {
        checkCpu(cpu);
        return cpus[cpu].signal;
    }

    /** CPU {@code cpu}'s submission queue. */
    public SubmissionQueue submissions(int cpu) {
        checkCpu(cpu);
        return cpus[cpu].submissions;
    }

    // ---------------------------------------------------------------- sending (on CPU `from`)

    /**
     * Active IPI: runs {@code f(arg, arg2)} on {@code to}. The wake-up, if one is needed, goes out at the
     * caller's next {@link #flushWakeups}. On CPU {@code from} only.
     *
     * @return the entry's sequence number, for {@link #waitIpiq}; 0 when {@code to == from} (ran inline)
     */
    public long send(int from, int to, IpiFunction f, Object arg, long arg2) {
        if (from == to) {
            f.ipi(to, arg, arg2);
            return 0;
        }
        if (to < 0 || to >= ncpus) {
            throw badCpu(to);
        }
        final IpiQueue q = rings[from * ncpus + to];
        if (!q.offer(f, arg, arg2)) {
            waitForRoom(from, to, q, f, arg, arg2);
        }
        final IpiCpu c = cpus[from];
        c.pendingWake |= 1L << to;
        c.pendingActiveSends++;
        return q.windex;
    }

    /**
     * Active IPI that signals at once (publish, fence, wake if idle): for senders with no later
     * flush point.
     */
    public long sendAndSignal(int from, int to, IpiFunction f, Object arg, long arg2) {
        long seq = send(from, to, f, arg, arg2);
        flushWakeups(from);
        return seq;
    }

    /**
     * Passive IPI: enqueued with no wake-up; runs at the target's next drain of any kind. Escalates to
     * an active send when the ring is a quarter full. On CPU {@code from} only.
     *
     * @throws IllegalArgumentException if {@code to == from} (a passive IPI to oneself is illegal)
     */
    public void sendPassive(int from, int to, IpiFunction f, Object arg, long arg2) {
        if (from == to) {
            throw new IllegalArgumentException("a passive IPI to oneself (cpu " + from + ") is not allowed");
        }
        if (to < 0 || to >= ncpus) {
            throw badCpu(to);
        }
        final IpiQueue q = rings[from * ncpus + to];
        final IpiCpu c = cpus[from];
        if (q.producerOccupancyAtLeast(passiveEscalation) || !q.offer(f, arg, arg2)) {
            if (c.probed) {
                c.passiveEscalated.incrementRelease();
            }
            send(from, to, f, arg, arg2);
            return;
        }
        if (c.probed) {
            c.passiveSent.incrementRelease();
        }
    }

    /**
     * Active IPI to every CPU in {@code mask}, starting after {@code from} and wrapping so no CPU is
     * always first; {@code from} itself, if in the mask, runs the function inline last.
     */
    public void sendMask(int from, long mask, IpiFunction f, Object arg, long arg2) {
        CpuMask.check(mask, ncpus);
        for (int k = 1; k < ncpus; k++) {
            int to = (from + k) % ncpus;
            if ((mask & (1L << to)) != 0) {
                send(from, to, f, arg, arg2);
            }
        }
        if ((mask & (1L << from)) != 0) {
            f.ipi(from, arg, arg2);
        }
    }

    /**
     * The end of a dispatch step on CPU {@code from}: fences once and wakes every target sent to since
     * the last flush that had announced idle, then publishes the drain probes when it is time. The CPU
     * loop runs it after every step.
     *
     * <p><b>Probes counted in owner memory, published in a rollup.</b> Every drain pass that finds
     * work adds to three probes (drains, entries per drain, depth high-water mark), and every flush to
     * three more (active IPIs sent, wake-ups, wake-ups skipped). Written to the shared counters each
     * time they would be a handful of loads and stores on the path every IPI takes; instead the CPU
     * counts in plain fields of its own {@link IpiCpu} (padded away from what other CPUs read) and the
     * counts are published here — after {@link #PUBLISH_QUIET_STEPS} steps in a row that counted nothing
     * (the CPU is idling, so the cost is off every path) or after {@link #PUBLISH_STEPS} steps that
     * counted something, whichever comes first. This is DragonFly's {@code vmstats_rollup}: per-CPU
     * adjustments kept without any atomic and rolled into the figures readers see now and then. A
     * reader is at most that many steps behind; nothing is counted twice or lost, and a CPU that parks
     * or stops publishes first ({@link #publishProbes}).
     */
    public void flushWakeups(int from) {
        final IpiCpu c = cpus[from];
        final long m = c.pendingWake;
        if (m != 0) {
            wake(c, m);
        }
        if (c.countedThisStep) {
            c.countedThisStep = false;
            c.quietSteps = 0;
            if (++c.stepsUnpublished >= PUBLISH_STEPS) {
                publishProbes(from);
            }
        } else if (c.stepsUnpublished != 0 && ++c.quietSteps >= PUBLISH_QUIET_STEPS) {
            publishProbes(from);
        }
    }

    /**
     * Turns CPU {@code cpu}'s IPI probe writes on or off; turning them off publishes what it counted
     * first. On CPU {@code cpu} only (the kernel does it in an IPI to every CPU).
     */
    public void probes(int cpu, boolean on) {
        final IpiCpu c = cpus[cpu];
        if (c.probed && !on) {
            publishProbes(cpu);
        }
        c.probed = on;
    }

    /**
     * Publishes the probes CPU {@code cpu} has counted in its own memory (see {@link #flushWakeups}):
     * drains, entries per drain, inbound depth high-water mark, active IPIs sent, wake-ups and wake-ups
     * skipped. On CPU {@code cpu}, or on the thread that stopped it, after joining it; a driver that
     * calls {@link #process} and {@link #flushWakeups} itself calls this before it reads them.
     */
    public void publishProbes(int cpu) {
        final IpiCpu c = cpus[cpu];
        c.stepsUnpublished = 0;
        c.quietSteps = 0;
        final long sent = c.sentUnpublished;
        if (sent != 0) {
            final long woke = c.wokeUnpublished;
            c.activeSent.getAndAddRelease(sent);
            if (woke != 0) {
                c.wakeups.getAndAddRelease(woke);
            }
            c.wakeupsSkipped.getAndAddRelease(sent - woke);
            c.sentUnpublished = 0;
            c.wokeUnpublished = 0;
        }
        final long drains = Log2Histogram.count(c.drainTally);
        if (drains != 0) {
            c.drainsCounter.getAndAddRelease(drains);
            c.perDrain.publish(c.drainTally);
        }
        if (c.drainDepthSeen >= 0) {
            c.depthMax.observe(c.drainDepthSeen);
            c.drainDepthSeen = -1;
        }
    }

    private void wake(IpiCpu c, long targets) {
        final long sends = c.pendingActiveSends;
        c.pendingWake = 0;
        c.pendingActiveSends = 0;
        VarHandle.fullFence();
        long woke = 0;
        long m = targets;
        while (m != 0) {
            int t = Long.numberOfTrailingZeros(m);
            m &= m - 1;
            if (cpus[t].signal.wakeIfIdle()) {
                woke++;
            }
        }
        if (c.probed) {
            c.sentUnpublished += sends;
            c.wokeUnpublished += woke;
            c.countedThisStep = true;
        }
    }

    private void waitForRoom(int from, int to, IpiQueue q, IpiFunction f, Object arg, long arg2) {
        final IpiCpu c = cpus[from];
        if (c.probed) {
            c.ringFullWaits.incrementRelease();
        }
        final IpiSignal target = cpus[to].signal;
        int spins = 0;
        do {
            target.fenceAndWake();
            drain(from, false);
            flushWakeups(from);
            backoff(from, ++spins);
        } while (!q.offer(f, arg, arg2));
    }

    // ---------------------------------------------------------------- from outside the kernel

    /**
     * Hands {@code task} to CPU {@code to} through its submission queue and wakes it if idle. For
     * threads outside the kernel.
     */
    public void submit(int to, SubmittedIpi task) {
        if (to < 0 || to >= ncpus) {
            throw badCpu(to);
        }
        cpus[to].submissions.submit(task);
    }

    // ---------------------------------------------------------------- receiving (on CPU `cpu`)

    /**
     * One drain pass: every inbound ring (FIFO per sender), the submission queue, and the cpusync
     * queue. On CPU {@code cpu}; re-entrant.
     *
     * @return entries run
     */
    public int process(int cpu) {
        return drain(cpu, true);
    }

    /**
     * A drain pass, with or without the submission queue. A sender waiting for room on a full ring
     * drains without it (the role of DragonFly's {@code lwkt_process_ipiq_nested}): the ring-full rule
     * needs only the inbound rings (another CPU may be waiting on one of them) and the cpusync queue,
     * while a submission is new work from outside that may itself send to the full ring — running it
     * there nests one more wait per queued submission, and a queue of thousands overflows the stack
     * (found by the jcstress slab tests). Submissions wait for the CPU's next regular drain; their
     * producers are threads outside the kernel, which no CPU waits on.
     */
    private int drain(int cpu, boolean withSubmissions) {
        final IpiCpu c = cpus[cpu];
        int total = 0;
        long available = 0;
        for (IpiQueue q : c.inbound) {
            total += q.drain(cpu, drainLimit, onError);
            available += q.lastAvailable();
        }
        int fromOutside = withSubmissions ? c.submissions.drain(cpu, drainLimit, onError) : 0;
        total += fromOutside;
        if (c.cpusyncPending > 0) {
            total += runCpusyncq(c);
        }
        countDrain(c, total, available + fromOutside);
        return total;
    }

    /** Counts a drain pass that found work, in owner memory (see {@link #flushWakeups}). */
    private void countDrain(IpiCpu c, int total, long available) {
        if (total > 0 && c.probed) {
            Log2Histogram.tally(c.drainTally, total);
            if (available > c.drainDepthSeen) {
                c.drainDepthSeen = available;
            }
            c.countedThisStep = true;
        }
    }

    // ---------------------------------------------------------------- one source at a time (deterministic drivers)

    /**
     * Drains only the ring from {@code from} into {@code cpu} (up to the drain limit), as one step of a
     * deterministic driver that picks which source a CPU drains next. On CPU {@code cpu}; re-entrant.
     *
     * @return entries run
     */
    public int drainRing(int cpu, int from) {
        IpiQueue q = ring(from, cpu);
        int n = q.drain(cpu, drainLimit, onError);
        countDrain(cpus[cpu], n, q.lastAvailable());
        return n;
    }

    /** Drains only {@code cpu}'s submission queue, as one deterministic step. On CPU {@code cpu}. */
    public int drainSubmissions(int cpu) {
        checkCpu(cpu);
        IpiCpu c = cpus[cpu];
        int n = c.submissions.drain(cpu, drainLimit, onError);
        countDrain(c, n, n);
        return n;
    }

    /** Runs the cpusync rendezvous on {@code cpu} whose master released them. On CPU {@code cpu}. */
    public int runReleasedCpusyncs(int cpu) {
        checkCpu(cpu);
        IpiCpu c = cpus[cpu];
        int n = c.cpusyncPending > 0 ? runCpusyncq(c) : 0;
        countDrain(c, n, n);
        return n;
    }

    /** True if {@code cpu} holds a cpusync rendezvous its master has released (it would run now). */
    public boolean cpusyncRunnable(int cpu) {
        checkCpu(cpu);
        for (CpuSync cs : cpus[cpu].cpusyncq) {
            if (cs != null && cs.released(cpu)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True if anything waits for CPU {@code cpu}: an inbound ring entry, a submission, or a cpusync.
     * The CPU re-checks this after announcing idle.
     */
    public boolean hasPending(int cpu) {
        final IpiCpu c = cpus[cpu];
        for (IpiQueue q : c.inbound) {
            if (!q.isEmpty()) {
                return true;
            }
        }
        return c.submissions.hasPending() || c.cpusyncPending > 0;
    }

    /** True while CPU {@code cpu} is held by a cpusync interlock and must not run threads. Owner only. */
    public boolean quiesced(int cpu) {
        return cpus[cpu].cpusyncPending > 0;
    }

    /**
     * Waits until the entry {@code seq} that {@code from} sent to {@code to} has finished running,
     * draining {@code from}'s own rings meanwhile (DragonFly's {@code lwkt_wait_ipiq}). Its effects are
     * visible on return.
     */
    public void waitIpiq(int from, int to, long seq) {
        if (from == to || seq == 0) {
            return;
        }
        final IpiQueue q = rings[from * ncpus + to];
        int spins = 0;
        while (q.completedIndex() - seq < 0) {
            flushWakeups(from);
            process(from);
            backoff(from, ++spins);
        }
    }

    /**
     * Barrier: returns once everything {@code from} sent to any CPU before the call has run
     * (DragonFly's {@code lwkt_synchronize_ipiqs}).
     */
    public void synchronizeIpiqs(int from) {
        final IpiCpu c = cpus[from];
        for (int to = 0; to < ncpus; to++) {
            c.seqScratch[to] = to == from ? 0 : send(from, to, NOP, null, 0);
        }
        flushWakeups(from);
        for (int to = 0; to < ncpus; to++) {
            waitIpiq(from, to, c.seqScratch[to]);
        }
    }

    private static final IpiFunction NOP = (cpu, arg, arg2) -> { };

    // ---------------------------------------------------------------- cpusync support

    void cpusyncEnqueue(int cpu, int masterSlot, CpuSync cs) {
        IpiCpu c = cpus[cpu];
        if (c.cpusyncq[masterSlot] != null) {
            throw new IllegalStateException("cpu " + cpu + " already holds a cpusync from master slot " + masterSlot);
        }
        c.cpusyncq[masterSlot] = cs;
        c.cpusyncPending++;
    }

    private int runCpusyncq(IpiCpu c) {
        int ran = 0;
        CpuSync[] q = c.cpusyncq;
        for (int i = 0; i < q.length; i++) {
            CpuSync cs = q[i];
            if (cs != null && cs.released(c.id)) {
                q[i] = null;
                c.cpusyncPending--;
                cs.runAndAck(c.id, onError);
                ran++;
            }
        }
        return ran;
    }

    void masterEnter(int cpu) {
        IpiCpu c = cpus[cpu];
        c.cscount++;
        if (c.probed) {
            c.cpusyncs.incrementRelease();
        }
    }

    void masterExit(int cpu) {
        cpus[cpu].cscount--;
    }

    /** Wakes every CPU in {@code mask} that announced idle (after a fence). */
    void signalAll(long mask) {
        VarHandle.fullFence();
        long m = mask;
        while (m != 0) {
            int t = Long.numberOfTrailingZeros(m);
            m &= m - 1;
            cpus[t].signal.wakeIfIdle();
        }
    }

    /** Unparks every CPU in {@code mask}. */
    void kickAll(long mask) {
        long m = mask;
        while (m != 0) {
            int t = Long.numberOfTrailingZeros(m);
            m &= m - 1;
            cpus[t].signal.kick();
        }
    }

    ReentrantLock externalCpusyncLock() {
        return externalCpusync;
    }

    IpiErrorHandler errorHandler() {
        return onError;
    }

    private void checkCpu(int cpu) {
        if (cpu < 0 || cpu >= ncpus) {
            throw badCpu(cpu);
        }
    }

    private IllegalArgumentException badCpu(int cpu) {
        return new IllegalArgumentException("cpu " + cpu + " does not exist (cpus are 0.." + (ncpus - 1) + ")");
    }
}
