package org.lwktlab.lwkt;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.status.AtomicCounter;
import org.lwktlab.ipi.IdleStrategy;
import org.lwktlab.ipi.IpiFabric;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.Log2Histogram;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * A simulated CPU: one platform thread running DragonFly's scheduler loop (DESIGN §2):
 * <ol>
 *   <li>drain every inbound IPI ring (FIFO per sender) and the submission queue, running each IPI
 *       function to completion;</li>
 *   <li>run the highest-priority ready {@link LwktThread} that can get its tokens, for one batch of
 *       the messages queued at its port, then its rollup;</li>
 *   <li>run the step hooks, flush the step's wake-ups (one fence), and when nothing was done, idle by
 *       the {@link IdleStrategy} — announcing idle before it parks, so senders know to wake it.</li>
 * </ol>
 *
 * <p><b>Invariants.</b> Everything a CPU owns — its run queue, its threads' ports and queues, any
 * subsystem state partitioned to it — is touched only by its own thread, so it needs no locks and no
 * atomics; other CPUs reach it only through IPIs. A handler that throws does not stop the CPU: the
 * exception is recorded, an unreplied request is replied {@link Errno#EHANDLER}, and the loop goes on.
 * While a cpusync holds the CPU it runs no threads (it keeps draining IPIs).
 */
public final class Cpu extends CpuIdentityPad {
    final Runqueue runq = new Runqueue();
    /** Whether this CPU writes its probes ({@link Kernel#probes(boolean)}). Owner CPU only. */
    boolean probed;
    private final IdleStrategy idle;
    private final List<LwktThread> threads = new CopyOnWriteArrayList<>();
    private volatile StepHook[] stepHooks = new StepHook[0];
    CpuThread thread;
    volatile boolean stopRequested;
    volatile boolean stopped;
    volatile int pinnedCore = -1;
    @SuppressWarnings("unused") // through IN_STEP
    private boolean inStep;
    private static final VarHandle IN_STEP;

    static {
        try {
            IN_STEP = MethodHandles.lookup().findVarHandle(Cpu.class, "inStep", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The {@code --debug provenance} recorder, or null when it is off (then it costs one null test). */
    final Provenance provenance;
    /** The simulation stepping this CPU, or null on a real CPU thread. Set before the CPU first runs. */
    Simulation sim;

    // Owner-only state.
    LwktThread current;
    /** The message being dispatched now, kept only with provenance on (it is the cause of what is sent). */
    Message handling;
    /** Whether {@link #handling} was a reply when it was dispatched (a handler may reply it meanwhile). */
    boolean handlingReply;
    /** Which sends are time-stamped for the latency probes. */
    private final LatencySampler sampler;
    private boolean tokenBlocked;
    /** Messages dispatched inline ({@code domsg} fast path) since the last {@link #publishProbes}. */
    private long inlineUnpublished;
    /** Steps in a row without work since the last publish. */
    private int quietSteps;
    /** Ports with counts not yet published: {@code publishList[0 .. publishLen)}. */
    private ThreadPort[] publishList = new ThreadPort[16];
    private int publishLen;

    final AtomicCounter handled;
    final AtomicCounter handlerErrors;
    final AtomicCounter parks;
    final AtomicCounter busySteps;
    final AtomicCounter msgSent;
    final AtomicCounter msgReplied;

    Cpu(Kernel kernel, int id, IdleStrategy idle, LatencySampler sampler) {
        super(kernel, id);
        this.probed = kernel.probesEnabled();
        this.provenance = kernel.provenance;
        this.idle = idle;
        this.sampler = sampler;
        ProbeRegistry p = kernel.probes();
        Labels l = Labels.of("cpu", Integer.toString(id));
        handled = p.counter("lwkt_cpu_handled_total", "Messages dispatched to handlers on this CPU", l);
        handlerErrors = p.counter("lwkt_cpu_handler_errors_total", "Handlers on this CPU that threw", l);
        parks = p.counter("lwkt_cpu_parks_total", "Times this CPU announced idle and parked", l);
        busySteps = p.counter("lwkt_cpu_busy_steps_total", "Loop passes on this CPU that did work", l);
        msgSent = p.counter("lwkt_msg_sent_total", "Messages sent (sendmsg/domsg) by code on this CPU", l);
        msgReplied = p.counter("lwkt_msg_replied_total", "Messages replied (or dropped) by code on this CPU", l);
    }

    /** This CPU's number. */
    public int id() {
        return id;
    }

    /** The kernel this CPU belongs to. */
    public Kernel kernel() {
        return kernel;
    }

    /** The LWKT thread running now on this CPU, or null (owner CPU only). */
    public LwktThread currentThread() {
        return current;
    }

    /** The threads living on this CPU. */
    public List<LwktThread> threads() {
        return List.copyOf(threads);
    }

    /** This CPU's clock: {@code System.nanoTime()}, or the simulated time under a {@link Simulation}. */
    public long nanoTime() {
        final Simulation s = sim;
        return s == null ? System.nanoTime() : s.nanoTime();
    }

    /** The core this CPU is pinned to, or -1 when unpinned. */
    public int pinnedCore() {
        return pinnedCore;
    }

    /** Adds a hook run at the end of every step with work. Any thread; takes effect at the next step. */
    public synchronized void addStepHook(StepHook hook) {
        Objects.requireNonNull(hook, "hook");
        StepHook[] h = Arrays.copyOf(stepHooks, stepHooks.length + 1);
        h[h.length - 1] = hook;
        stepHooks = h;
    }

    void adopt(LwktThread td) {
        threads.add(td);
    }

    // ------------------------------------------------------------------ the loop

    void loop() {
        final IdleStrategy idle = this.idle;
        int blockedSpins = 0;
        for (;;) {
            int work = step();
            if (work > 0) {
                idle.reset();
                blockedSpins = 0;
                continue;
            }
            if (stopRequested) {
                break;
            }
            if (tokenBlocked || fabric.quiesced(id)) {
                if (++blockedSpins < 64) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
                continue;
            }
            switch (idle.next()) {
                case SPIN -> Thread.onSpinWait();
                case YIELD -> Thread.yield();
                case PARK -> park(idle.parkNanos());
            }
        }
        publishAllProbes();
        stopped = true;
    }

    /** One pass: IPIs, one thread batch, hooks, wake-ups. Returns the work done. Owner CPU only. */
    int step() {
        IN_STEP.setRelease(this, true);
        int work = fabric.process(id);
        if (!fabric.quiesced(id)) {
            work += runThreads();
        }
        finishStep(work);
        IN_STEP.setRelease(this, false);
        return work;
    }

    /** The end of every step: the step hooks when it did work, then the step's wake-ups (one fence). */
    void finishStep(int work) {
        if (work > 0) {
            for (StepHook h : stepHooks) {
                try {
                    h.endOfStep(this);
                } catch (Throwable t) {
                    kernel.recordError(id, "step hook " + h, null, t);
                }
            }
        }
        final boolean publish;
        if (work > 0) { // busySteps: always counted, shutdown's quiescence check reads it
            quietSteps = 0;
            publish = (busySteps.incrementRelease() & (IpiFabric.PUBLISH_STEPS - 1)) == IpiFabric.PUBLISH_STEPS - 1;
        } else {
            publish = ++quietSteps >= IpiFabric.PUBLISH_QUIET_STEPS; // idle, or its threads token-blocked
        }
        fabric.flushWakeups(id);
        if (publish) {
            publishProbes();
            if (work == 0) { // idle: also the ports whose thread has not run (ThreadPort#publishEnqueued)
                publishEnqueued();
            }
        }
    }

    /**
     * Publishes the per-message probe counts this CPU keeps in its own memory: its handled count and,
     * for every port counted since the last publish (its thread ran, or a message was unlinked),
     * dequeued, messages per run, the depth high-water mark and the enqueue count derived from them
     * ({@link ThreadPort#publishEnqueued}). Owner CPU only (a simulated CPU's owner is the simulation's
     * driver).
     *
     * <p><b>Counted in owner memory, published in a rollup.</b> These probes change with every message;
     * written to the shared counters each time they would cost a handful of loads and release stores
     * per message on the path of every hand-off. The CPU instead adds to plain fields at each thread run
     * (its own and its ports'), notes each port it touched in {@code publishList}, and adds the figures
     * to the counters here: after {@link IpiFabric#PUBLISH_QUIET_STEPS} steps in a row without work (the
     * CPU is idling, so the cost is off every path), before it parks, or after
     * {@link IpiFabric#PUBLISH_STEPS} steps with work, whichever comes first — DragonFly's
     * {@code vmstats_rollup} of per-CPU adjustments. Nothing is written as a message is queued: the
     * enqueue count is derived here. <b>Invariants:</b> a port with unpublished counts is in the list
     * exactly once ({@code PortTally.queued}); nothing counted is lost or published twice; a reader sees
     * every run at most that many steps late, every message queued once its thread has run or the CPU
     * has parked, and everything once the CPU has migrated the port's thread away
     * ({@link #completeMigration}), switched its probes off or stopped.
     */
    void publishProbes() {
        quietSteps = 0;
        long ran = inlineUnpublished;
        inlineUnpublished = 0;
        final ThreadPort[] list = publishList;
        for (int i = 0, n = publishLen; i < n; i++) {
            ran += list[i].publishProbes();
            list[i] = null;
        }
        publishLen = 0;
        if (ran != 0) {
            handled.getAndAddRelease(ran); // what the ports' threads ran, plus the inline dispatches
        }
    }

    /** Notes {@code port} for the next {@link #publishProbes}. Owner CPU only. */
    void queuePublish(ThreadPort port) {
        if (publishLen == publishList.length) {
            publishList = Arrays.copyOf(publishList, publishLen * 2); // grows to the ports one cycle touches, once
        }
        publishList[publishLen++] = port;
        port.tally.queued = true;
    }

    /** True while this CPU is inside a loop pass (a snapshot, for shutdown). */
    boolean inStep() {
        return (boolean) IN_STEP.getAcquire(this);
    }

    private void park(long nanos) {
        signal.announceIdle();
        if (fabric.hasPending(id) || !runq.isEmpty() || stopRequested) {
            signal.cancelIdle();
            return;
        }
        if (probed) {
            parks.incrementRelease();
        }
        publishAllProbes(); // a reader must not wait for this CPU's next work
        LockSupport.parkNanos(this, nanos);
        signal.cancelIdle();
    }

    private int runThreads() {
        if (runq.isEmpty()) {
            tokenBlocked = false;
            return 0;
        }
        LwktThread td = runq.pick(this);
        if (td == null) {
            tokenBlocked = true;
            return 0;
        }
        tokenBlocked = false;
        return run(td);
    }

    /** Runs {@code td} (picked off the run queue, tokens held) for one batch. Owner CPU only. */
    int run(LwktThread td) {
        final ThreadPort port = td.port;
        final MsgQueue q = port.queue;
        final LwktThread prev = current;
        td.running = true;
        current = td;
        final int depth = q.size();
        int n = 0;
        Message m;
        try {
            while (n < td.batchLimit && (m = q.poll()) != null) {
                m.clearFlags(Message.QUEUED);
                final Port via = m.queuedOn;
                m.queuedOn = null;
                n++;
                if (m.sentAt != 0 && probed && (m.flags() & Message.REPLY) == 0) { // sentAt first: 0 but for a sample
                    port.handleLatency.record(nanoTime() - m.sentAt);
                }
                final int h = m.handoffs;
                try {
                    if (Provenance.AVAILABLE && provenance != null) {
                        handling = m;
                        handlingReply = (m.flags() & Message.REPLY) != 0;
                        provenance.dispatching(this, td, m);
                    }
                    via.dispatch(m);
                } catch (Throwable t) {
                    handlerFailed(td, m, h, t);
                } finally {
                    if (Provenance.AVAILABLE && provenance != null) {
                        handling = null;
                    }
                }
            }
            if (n > 0 && td.rollup != null) {
                try {
                    td.rollup.rollup();
                } catch (Throwable t) {
                    kernel.recordError(id, td.name + " rollup", null, t);
                    if (probed) {
                        handlerErrors.incrementRelease();
                    }
                }
            }
        } finally {
            if (td.tokens.length != 0) {
                td.releaseTokens();
            }
            current = prev;
            td.running = false;
        }
        if (probed) { // in line, not a call: this is the path of every run (ThreadPort#publishProbes)
            final PortTally t = port.tally;
            if (n == 1) { // the commonest run, a message alone, counted in a field: no array to reach
                t.singleRuns++;
            } else {
                Log2Histogram.tally(t.runs, n); // its sum is the port's dequeue count and this CPU's handled count
            }
            if (depth > t.depthSeen) { // -1 after a publish: the first run since also lists the port
                if (!t.queued) {
                    queuePublish(port);
                }
                t.depthSeen = depth;
            }
        }
        if (td.migrateTo >= 0) {
            completeMigration(td);
        } else if (!q.isEmpty()) {
            runq.enqueue(td);
        }
        return Math.max(n, 1);
    }

    /** The synchronous fast path of {@code domsg} to a port on this CPU: runs the handler now. */
    void dispatchInline(ThreadPort port, Message m) {
        final LwktThread td = port.td;
        final LwktThread prev = current;
        final TokenRef[] t = td.tokens;
        int taken = 0;
        for (; taken < t.length; taken++) {
            if (prev != null && prev.running && prev.declares(t[taken].token())) {
                continue;
            }
            if (!t[taken].token().tryAcquire(t[taken].mode(), id, probed)) {
                releaseInlineTokens(prev, t, taken);
                throw new IllegalStateException("domsg to port '" + port.name() + "' on cpu " + id + ": its token "
                        + t[taken].token().name() + " is held by another CPU, and a CPU never waits; use sendmsg");
            }
        }
        current = td;
        final int h = m.handoffs;
        final Message outer = handling;
        final boolean outerReply = handlingReply;
        try {
            if (probed) {
                inlineUnpublished++;
            }
            if (Provenance.AVAILABLE && provenance != null) {
                handling = m;
                handlingReply = false;
                provenance.dispatching(this, td, m);
            }
            td.handler.handle(m);
        } catch (Throwable e) {
            handlerFailed(td, m, h, e);
        } finally {
            handling = outer;
            handlingReply = outerReply;
            current = prev;
            releaseInlineTokens(prev, t, taken);
        }
    }

    private static void releaseInlineTokens(LwktThread prev, TokenRef[] t, int count) {
        for (int i = count - 1; i >= 0; i--) {
            if (prev != null && prev.running && prev.declares(t[i].token())) {
                continue;
            }
            t[i].token().release(t[i].mode());
        }
    }

    private void handlerFailed(LwktThread td, Message m, int handoffsBefore, Throwable t) {
        if (probed) {
            handlerErrors.incrementRelease();
        }
        kernel.recordError(id, td.name, m, t);
        int f = m.flags();
        if (m.handoffs == handoffsBefore && (f & (Message.REPLY | Message.QUEUED)) == 0) {
            m.exception = t;
            try {
                Lwkt.replymsg(m, Errno.EHANDLER);
            } catch (Throwable e) {
                kernel.recordError(id, td.name + " (replying after a handler error)", m, e);
            }
        }
    }

    void completeMigration(LwktThread td) {
        int target = td.migrateTo;
        td.migrateTo = -1;
        publishProbes(); // the port's counts go out before its thread (and their ownership) leaves
        runq.remove(td);
        Message chain = td.port.queue.takeAll();
        Cpu dest = kernel.cpu(target);
        threads.remove(td);
        dest.threads.add(td);
        td.cpu = dest;
        fabric.send(id, target, LwktThread.SETCPU_IPI, new LwktThread.MigrationCarrier(td, chain), 0);
    }

    /**
     * Turns this CPU's probe writes (its own, its ports', its IPI ones) on or off; turning them off
     * publishes what was counted first. Owner CPU only: {@link Kernel#probes(boolean)} sends it here.
     */
    void probes(boolean on) {
        if (!on) {
            publishAllProbes();
        }
        probed = on;
        fabric.probes(id, on);
        for (LwktThread td : threads) {
            td.port.probed = on;
        }
    }

    /**
     * Publishes every count this CPU keeps in its own memory, its IPI drain probes included, and the
     * enqueue count of every port it owns ({@link ThreadPort#publishEnqueued}): when it parks, switches
     * its probes off or stops, and after every simulation request. On the CPU's thread (the driver's,
     * under a simulation).
     */
    void publishAllProbes() {
        publishProbes(); // whatever the probe switch says now: anything counted goes out
        publishEnqueued();
        fabric.publishProbes(id);
    }

    /**
     * Brings every port's enqueue count up to date ({@link ThreadPort#publishEnqueued}), those whose
     * thread has not run since messages came included (token-blocked, say): when the CPU parks, after
     * {@link IpiFabric#PUBLISH_QUIET_STEPS} steps without work, when it switches its probes off or
     * stops. With probes off it publishes nothing (what is queued then is not counted). Owner CPU only.
     */
    private void publishEnqueued() {
        if (probed) {
            final List<LwktThread> ts = threads; // indexed, no iterator: only this CPU removes, others only append
            for (int i = 0, n = ts.size(); i < n; i++) {
                ts.get(i).port.publishEnqueued();
            }
        }
    }

    /**
     * Stamps {@code m}, this CPU's send number {@code seq}, for latency sampling when
     * {@link LatencySampler} picks it. Owner CPU only.
     */
    void stamp(Message m, long seq) {
        if (sampler.picks(seq) && probed) { // probes off: no clock read that nobody records
            final long now = nanoTime();
            sampler.sampled(now);
            m.sentAt = now;
        } else {
            m.sentAt = 0;
        }
    }

    @Override
    public String toString() {
        return "Cpu[" + id + "]";
    }
}
