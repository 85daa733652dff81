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
import org.lwktlab.ipi.IpiSignal;
import org.lwktlab.metrics.probe.Labels;
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
public final class Cpu {
    final Kernel kernel;
    final int id;
    final IpiFabric fabric;
    final IpiSignal signal;
    final Runqueue runq = new Runqueue();
    final boolean probed;
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

    // Owner-only state.
    LwktThread current;
    private final int sampleEvery;
    private int sampleCountdown;
    private boolean tokenBlocked;

    final AtomicCounter handled;
    final AtomicCounter handlerErrors;
    final AtomicCounter parks;
    final AtomicCounter busySteps;
    final AtomicCounter msgSent;
    final AtomicCounter msgReplied;

    Cpu(Kernel kernel, int id, IdleStrategy idle, int sampleEvery) {
        this.kernel = kernel;
        this.id = id;
        this.fabric = kernel.fabric;
        this.signal = fabric.signal(id);
        this.probed = kernel.probesEnabled();
        this.idle = idle;
        this.sampleEvery = sampleEvery;
        this.sampleCountdown = sampleEvery;
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
        stopped = true;
    }

    /** One pass: IPIs, one thread batch, hooks, wake-ups. Returns the work done. Owner CPU only. */
    int step() {
        IN_STEP.setRelease(this, true);
        int work = fabric.process(id);
        if (!fabric.quiesced(id)) {
            work += runThreads();
        }
        if (work > 0) {
            for (StepHook h : stepHooks) {
                try {
                    h.endOfStep(this);
                } catch (Throwable t) {
                    kernel.recordError(id, "step hook " + h, null, t);
                }
            }
            busySteps.incrementRelease(); // always: shutdown's quiescence check reads it
        }
        fabric.flushWakeups(id);
        IN_STEP.setRelease(this, false);
        return work;
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

    private int run(LwktThread td) {
        final ThreadPort port = td.port;
        final MsgQueue q = port.queue;
        final LwktThread prev = current;
        td.running = true;
        current = td;
        if (probed) {
            port.depthMax.observe(q.size());
        }
        int n = 0;
        Message m;
        try {
            while (n < td.batchLimit && (m = q.poll()) != null) {
                m.clearFlags(Message.QUEUED);
                final Port via = m.queuedOn;
                m.queuedOn = null;
                n++;
                if (probed && m.sentAt != 0 && (m.flags() & Message.REPLY) == 0) {
                    port.handleLatency.record(System.nanoTime() - m.sentAt);
                }
                final int h = m.handoffs;
                try {
                    via.dispatch(m);
                } catch (Throwable t) {
                    handlerFailed(td, m, h, t);
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
        if (probed) {
            port.dequeued.getAndAddRelease(n);
            port.perRun.record(n);
            handled.getAndAddRelease(n);
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
        try {
            if (probed) {
                handled.incrementRelease();
            }
            td.handler.handle(m);
        } catch (Throwable e) {
            handlerFailed(td, m, h, e);
        } finally {
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
        runq.remove(td);
        Message chain = td.port.queue.takeAll();
        Cpu dest = kernel.cpu(target);
        threads.remove(td);
        dest.threads.add(td);
        td.cpu = dest;
        fabric.send(id, target, LwktThread.SETCPU_IPI, new LwktThread.MigrationCarrier(td, chain), 0);
    }

    /** Stamps {@code m} for latency sampling (every n-th send from this CPU). Owner CPU only. */
    void stamp(Message m) {
        if (sampleEvery > 0 && --sampleCountdown <= 0) {
            sampleCountdown = sampleEvery;
            m.sentAt = System.nanoTime();
        } else {
            m.sentAt = 0;
        }
    }

    @Override
    public String toString() {
        return "Cpu[" + id + "]";
    }
}
