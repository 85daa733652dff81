package org.lwktlab.lwkt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.agrona.concurrent.status.AtomicCounter;
import org.lwktlab.ipi.CpuMask;
import org.lwktlab.ipi.CpuSync;
import org.lwktlab.ipi.IpiFabric;
import org.lwktlab.ipi.IpiFunction;
import org.lwktlab.ipi.SubmittedIpi;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.LatencyProbe;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * A booted set of simulated CPUs: the {@link IpiFabric} between them, one {@link Cpu} thread each,
 * their tokens and probes. {@link #boot} starts it; {@link #shutdown} stops intake, drains every ring
 * and port, lets every thread reply what it holds, and joins the CPU threads — nothing is lost, and
 * the {@link ShutdownReport} says so (or says what was).
 *
 * <p>Any thread may call the public methods.
 */
public final class Kernel implements AutoCloseable {
    private static final AtomicBoolean OVERSUBSCRIBED_NOTED = new AtomicBoolean();
    private static final int PRINTED_ERRORS = 5;

    private enum State { RUNNING, SHUTTING_DOWN, STOPPED }

    final IpiFabric fabric;
    /** The {@code --debug provenance} recorder, or null when it is off. */
    final Provenance provenance;
    /** The deterministic driver, or null when the CPUs are real threads. */
    final Simulation sim;
    private final KernelConfig config;
    private final Cpu[] cpus;
    private final ProbeRegistry probes;
    private volatile boolean probed;
    private final boolean pinned;
    private final boolean oversubscribed;
    private final int cores;
    private final LongAdder externalSent = new LongAdder();
    private final LongAdder externalReplied = new LongAdder();
    private final LatencyProbe externalReplyLatency;
    private final AtomicLong externalSampleCounter = new AtomicLong();
    private final List<HandlerError> errors = new ArrayList<>();
    private final AtomicLong errorCount = new AtomicLong();
    private final List<ShutdownParticipant> participants = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, Token> tokens = new ConcurrentHashMap<>();
    private volatile State state = State.RUNNING;
    private ShutdownReport report;

    private Kernel(KernelConfig config) {
        this.config = config;
        int n = config.cpus();
        this.cores = Runtime.getRuntime().availableProcessors();
        this.oversubscribed = n > cores;
        this.pinned = switch (config.pin()) {
            case ON -> true;
            case OFF -> false;
            case AUTO -> !oversubscribed && Affinity.supported();
        };
        this.probed = config.probes();
        this.probes = config.probeRegistry() != null ? config.probeRegistry()
                : ProbeRegistry.inMemory(config.probeCapacity() + IpiFabric.requiredProbeCapacity(n, config.perPairProbes()),
                        config.probeLabels());
        this.fabric = new IpiFabric(new IpiFabric.Config(n, config.ringCapacity(), config.submissionCapacity(),
                config.submissionPolicy(), probes, probed, config.perPairProbes()));
        fabric.onError((cpu, function, arg, error) -> recordError(cpu, "IPI function " + function,
                arg instanceof Message m ? m : null, error));
        this.externalReplyLatency = probes.latency("lwkt_msg_external_reply_latency_seconds",
                "Sampled time from an outside thread's send to it seeing the reply", Labels.empty(), true);
        probes.functionCounter("lwkt_msg_sent_total", "Messages sent (sendmsg/domsg) by threads outside the kernel",
                Labels.of("cpu", "external"), false, externalSent::sum);
        probes.functionCounter("lwkt_msg_replied_total", "Messages replied by threads outside the kernel",
                Labels.of("cpu", "external"), false, externalReplied::sum);
        if (config.debugging(KernelConfig.Debug.PROVENANCE) && !Provenance.AVAILABLE) {
            throw new ConfigException("debug", "asks for provenance, but this JVM runs with"
                    + " -Dlwkt.provenance.disabled=true, which compiles it out");
        }
        this.provenance = config.debugging(KernelConfig.Debug.PROVENANCE)
                ? new Provenance(config.provenanceFrames(), config.provenanceDepth()) : null;
        this.cpus = new Cpu[n];
        for (int i = 0; i < n; i++) {
            cpus[i] = new Cpu(this, i, config.idle().copy(),
                    new LatencySampler(config.latencySampleEvery(), config.latencySampleGapMicros() * 1_000L));
        }
        this.sim = config.simulation() == null ? null : new Simulation(this, cpus, config.simulation());
        for (Cpu c : cpus) {
            c.sim = sim;
        }
    }

    /**
     * Boots a kernel: validates nothing further (the config did), starts one thread per CPU, pins them
     * if the policy says so, and returns once every CPU is running.
     */
    public static Kernel boot(KernelConfig config) {
        Objects.requireNonNull(config, "config");
        Kernel k = new Kernel(config);
        k.start();
        return k;
    }

    private void start() {
        if (sim != null) {
            sim.start();
            announceBoot();
            return;
        }
        if (oversubscribed && config.pin() != KernelConfig.Pin.OFF && OVERSUBSCRIBED_NOTED.compareAndSet(false, true)) {
            System.err.println("lwkt: " + cpus.length + " simulated CPUs on " + cores
                    + " cores: running unpinned (oversubscribed; timings share cores)");
        }
        CountDownLatch started = new CountDownLatch(cpus.length);
        List<String> pinErrors = new CopyOnWriteArrayList<>();
        for (Cpu c : cpus) {
            CpuThread t = new CpuThread(c, () -> {
                if (pinned) {
                    String err = Affinity.pinCurrentThread(c.id % cores);
                    if (err == null) {
                        c.pinnedCore = c.id % cores;
                    } else {
                        pinErrors.add(err);
                    }
                }
                started.countDown();
                c.loop();
            }, config.name() + "-cpu" + c.id);
            c.thread = t;
            c.signal.attach(t);
        }
        for (Cpu c : cpus) {
            c.thread.start();
        }
        try {
            started.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while booting kernel " + config.name(), e);
        }
        if (!pinErrors.isEmpty()) {
            System.err.println("lwkt: pinning failed, running unpinned: " + pinErrors.getFirst());
        }
        announceBoot();
    }

    private void announceBoot() {
        for (KernelObserver o : config.observers()) {
            o.booted(this);
        }
    }

    public String name() {
        return config.name();
    }

    public KernelConfig config() {
        return config;
    }

    public int ncpus() {
        return cpus.length;
    }

    /** CPU {@code i}. */
    public Cpu cpu(int i) {
        if (i < 0 || i >= cpus.length) {
            throw new IllegalArgumentException("cpu " + i + " does not exist (cpus are 0.." + (cpus.length - 1) + ")");
        }
        return cpus[i];
    }

    public IpiFabric fabric() {
        return fabric;
    }

    /** Where this kernel's probes are registered. */
    public ProbeRegistry probes() {
        return probes;
    }

    public boolean probesEnabled() {
        return probed;
    }

    /** The deterministic simulation driving this kernel, or null when its CPUs are real threads. */
    public Simulation simulation() {
        return sim;
    }

    /** Where this kernel's code reads the time: the simulated clock under a simulation, else the system's. */
    public Clock clock() {
        return sim != null ? sim : Clock.SYSTEM;
    }

    /** True while {@code --debug provenance} is on for this kernel. */
    public boolean provenanceEnabled() {
        return provenance != null;
    }

    /**
     * Installs {@code tap} to see every message handed to a handler, with its origin chain (null
     * removes it).
     *
     * @throws IllegalStateException unless the kernel runs with {@code --debug provenance}
     */
    public void provenanceTap(ProvenanceTap tap) {
        if (provenance == null) {
            throw new IllegalStateException("kernel '" + config.name() + "' runs without provenance; boot it with"
                    + " --debug provenance (KernelConfig debug=provenance) to tap origin chains");
        }
        provenance.tap(tap);
    }

    /** True if the CPU threads were pinned to cores. */
    public boolean pinned() {
        if (sim != null) {
            return false;
        }
        boolean all = pinned;
        for (Cpu c : cpus) {
            all &= c.pinnedCore >= 0;
        }
        return all;
    }

    /** True when there are more simulated CPUs than cores. */
    public boolean oversubscribed() {
        return oversubscribed;
    }

    /** Cores the JVM sees. */
    public int cores() {
        return cores;
    }

    /** Creates an LWKT thread on CPU {@code cpu} with default settings. */
    public LwktThread spawn(int cpu, String name, MessageHandler handler) {
        return LwktThread.builder(name).handler(handler).spawn(this, cpu);
    }

    /** The token called {@code name}, created on first use. */
    public Token token(String name) {
        Objects.requireNonNull(name, "token name");
        return tokens.computeIfAbsent(name, n -> {
            AtomicCounter[] acq = new AtomicCounter[cpus.length];
            AtomicCounter[] col = new AtomicCounter[cpus.length];
            for (int i = 0; i < cpus.length; i++) {
                Labels l = Labels.of("cpu", Integer.toString(i), "token", n);
                acq[i] = probes.counter("lwkt_token_acquisitions_total", "Token acquisitions by threads on this CPU", l);
                col[i] = probes.counter("lwkt_token_collisions_total",
                        "Times a thread on this CPU found the token held elsewhere and was skipped", l);
            }
            return new Token(n, acq, col);
        });
    }

    /**
     * Turns every probe write of this kernel on or off while it runs, and returns once every CPU has
     * switched (a quick cpusync). Turning probes off publishes what the CPUs counted so far, so nothing
     * counted is lost; what happens while they are off is not counted, so the counters are exact only
     * for a run that never turns them off. Made for measuring what the probes cost on one kernel, with
     * the same threads on the same cores both ways ({@code bench} module, {@code ProbeOverhead}). From
     * outside the kernel or from one of its CPUs.
     */
    public void probes(boolean on) {
        probed = on;
        cpusyncQuick(CpuMask.all(cpus.length), PROBES_IPI, this, on ? 1 : 0);
    }

    private static final IpiFunction PROBES_IPI = (cpu, arg, on) -> ((Kernel) arg).cpus[cpu].probes(on != 0);

    /**
     * Runs {@code fn} on every CPU in {@code mask} in IPI context (quiescing them first) and returns once
     * all have run it. From a CPU of this kernel or from outside.
     */
    public void cpusync(long mask, IpiFunction fn, Object arg, long arg2) {
        new CpuSync(fabric).run(masterId(), mask, fn, arg, arg2);
    }

    /** Like {@link #cpusync} without the quiesce phase (DragonFly's {@code cpusync_quick}). */
    public void cpusyncQuick(long mask, IpiFunction fn, Object arg, long arg2) {
        new CpuSync(fabric).quick(masterId(), mask, fn, arg, arg2);
    }

    private int masterId() {
        Cpu cur = Lwkt.currentCpu();
        return cur != null && cur.kernel == this ? cur.id : CpuSync.EXTERNAL;
    }

    /** Adds a subsystem that reports at shutdown. */
    public void addShutdownParticipant(ShutdownParticipant p) {
        participants.add(Objects.requireNonNull(p, "participant"));
    }

    /** Handler errors recorded so far (the first {@code errors.keep}). */
    public List<HandlerError> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    /** Total handler errors. */
    public long errorCount() {
        return errorCount.get();
    }

    /** True until {@link #shutdown} begins. */
    public boolean running() {
        return state == State.RUNNING;
    }

    // ------------------------------------------------------------------ internals used by ports and CPUs

    void submitFromOutside(int cpu, SubmittedIpi task, boolean completion) {
        State s = state;
        if (s == State.STOPPED) {
            throw new IllegalStateException("kernel '" + config.name() + "' is stopped: nothing can be delivered to cpu " + cpu);
        }
        if (!completion) {
            if (s != State.RUNNING) {
                throw new IllegalStateException("kernel '" + config.name() + "' is shutting down: no new messages are accepted");
            }
            fabric.submit(cpu, task);
        } else {
            fabric.submissions(cpu).submitAlways(task);
        }
    }

    void countExternalSend() {
        externalSent.increment();
    }

    void uncountExternalSend() {
        externalSent.decrement();
    }

    void countExternalReply() {
        externalReplied.increment();
    }

    boolean sampleExternal() {
        int every = config.latencySampleEvery();
        return every > 0 && externalSampleCounter.incrementAndGet() % every == 0;
    }

    void recordExternalReplyLatency(long nanos) {
        if (probed) {
            externalReplyLatency.record(nanos);
        }
    }

    void recordError(int cpu, String where, Message m, Throwable t) {
        HandlerError e = new HandlerError(cpu, where, m == null ? null : m.toString(), t, m == null ? null : m.origin);
        long n;
        // Its own lock, not the kernel's: shutdown() holds that while a CPU may still be failing a handler.
        // Counted under it too, so whoever sees the count also sees the error listed.
        synchronized (errors) {
            if (errors.size() < config.errorLogLimit()) {
                errors.add(e);
            }
            n = errorCount.incrementAndGet();
        }
        if (n <= PRINTED_ERRORS) {
            System.err.println("lwkt: " + e + (n == PRINTED_ERRORS ? " (further errors are counted, not printed)" : ""));
        }
    }

    // ------------------------------------------------------------------ shutdown

    /**
     * Stops intake (outside threads get a clear error from then on), drains every ring and port, runs
     * each thread's {@link ShutdownHook} so held messages are replied, asks every
     * {@link ShutdownParticipant} for its report, stops and joins the CPU threads. Idempotent.
     */
    public synchronized ShutdownReport shutdown() {
        if (state == State.STOPPED) {
            return report;
        }
        state = State.SHUTTING_DOWN;
        ShutdownReport.Builder b = new ShutdownReport.Builder();
        for (int i = 0; i < cpus.length; i++) {
            fabric.submissions(i).close();
        }
        awaitQuiescence(b, "draining queues");
        onEachCpu(c -> {
            for (LwktThread td : c.threads()) {
                if (td.shutdownHook != null) {
                    try {
                        td.shutdownHook.onShutdown(td);
                    } catch (Throwable t) {
                        recordError(c.id, td.name + " shutdown hook", null, t);
                    }
                }
            }
        });
        awaitQuiescence(b, "after shutdown hooks");
        if (!participants.isEmpty()) {
            onEachCpu(c -> {
                for (ShutdownParticipant p : participants) {
                    try {
                        p.onCpuShutdown(c, b);
                    } catch (Throwable t) {
                        recordError(c.id, "shutdown participant " + p, null, t);
                    }
                }
            });
            awaitQuiescence(b, "after shutdown participants");
            for (ShutdownParticipant p : participants) {
                try {
                    p.onShutdown(b);
                } catch (Throwable t) {
                    recordError(-1, "shutdown participant " + p, null, t);
                }
            }
        }
        stopCpus(b);
        state = State.STOPPED;
        long sent = externalSent.sum();
        long replied = externalReplied.sum();
        for (Cpu c : cpus) {
            sent += c.msgSent.getAcquire();
            replied += c.msgReplied.getAcquire();
        }
        if (sent != replied) {
            b.problem((sent - replied) + " message(s) were sent but never replied: a thread kept them and had no"
                    + " shutdown hook to reply them" + (provenance == null
                    ? " (run with --debug provenance to list each with its origin chain)" : ""));
        }
        if (provenance != null) {
            reportUnreplied(b);
        }
        report = b.build(config.name(), sent, replied, errorCount.get(), errors());
        for (KernelObserver o : config.observers()) {
            try {
                o.shutDown(this, report);
            } catch (Throwable t) {
                System.err.println("lwkt: kernel observer " + o + " failed at shutdown: " + t);
            }
        }
        return report;
    }

    /** Most unreplied messages the report lists one by one (the rest are counted). */
    static final int UNREPLIED_LISTED = 20;
    /** The report section that lists unreplied messages with their origins. */
    public static final String UNREPLIED_SECTION = "unreplied messages (with origins)";

    private void reportUnreplied(ShutdownReport.Builder b) {
        List<Message> left = provenance.outstanding();
        int listed = 0;
        for (Message m : left) {
            if (listed++ == UNREPLIED_LISTED) {
                b.line(UNREPLIED_SECTION, "... and " + (left.size() - UNREPLIED_LISTED) + " more");
                break;
            }
            Port t = m.target;
            b.line(UNREPLIED_SECTION, m + (t == null ? "" : " at port '" + t.name() + "'")
                    + (m.origin == null ? " (sent before provenance saw it)" : "\n" + m.origin.describe("      ")));
        }
    }

    private void stopCpus(ShutdownReport.Builder b) {
        if (sim != null) {
            sim.halt();
            if (sim.driverAlive()) {
                b.problem("the simulation driver did not stop within 10 s (a handler is stuck?)");
            }
            return; // the driver published every CPU's probes at the end of its last request
        }
        for (Cpu c : cpus) {
            c.stopRequested = true;
            c.signal.kick();
        }
        for (Cpu c : cpus) {
            try {
                c.thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (c.thread.isAlive()) {
                b.problem("cpu " + c.id + " did not stop within 10 s (a handler is stuck?)");
            }
        }
    }

    /** Same as {@link #shutdown()}. */
    @Override
    public void close() {
        shutdown();
    }

    /**
     * Waits, on a thread outside this kernel, until {@code done} holds — for work that thread handed to
     * the CPUs (a submitted job, a stop flag the load generators obey). On real CPU threads it looks
     * again every 50 µs for up to {@code limit} of real time. Under a {@link Simulation} real time moves
     * nothing: it drives the simulation until {@code done} holds, so the wait happens at a fixed point of
     * the interleaving and replays; if the simulation goes quiet first, nothing is left that could make
     * {@code done} true, and it throws.
     *
     * @return true once {@code done} holds; false when {@code limit} passed first, or the thread was
     *         interrupted (its flag stays set) — real CPUs only
     * @throws IllegalStateException under a simulation that goes quiet (or runs a minute of real time)
     *                               without {@code done}, naming {@code what} and the seed; or when called
     *                               on one of the simulation's own CPUs
     */
    public boolean awaitOutside(String what, Duration limit, BooleanSupplier done) {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(done, "done");
        if (sim != null) {
            sim.await(what, done);
            return true;
        }
        return pollUntil(limit, done);
    }

    /**
     * The real-time half of {@link #awaitOutside}, for waits that know no kernel: looks at {@code done}
     * every 50 µs for up to {@code limit}.
     *
     * @return true once {@code done} holds; false when {@code limit} passed first or the calling thread
     *         was interrupted (its flag stays set)
     */
    public static boolean pollUntil(Duration limit, BooleanSupplier done) {
        final long deadline = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0 || Thread.currentThread().isInterrupted()) {
                return done.getAsBoolean();
            }
            LockSupport.parkNanos(50_000);
        }
        return true;
    }

    /** Runs {@code action} on each CPU in turn, in its IPI context, and waits for it. */
    private void onEachCpu(Consumer<Cpu> action) {
        for (Cpu c : cpus) {
            CountDownLatch done = new CountDownLatch(1);
            fabric.submissions(c.id).submitAlways(cpu -> {
                try {
                    action.accept(c);
                } finally {
                    done.countDown();
                }
            });
            if (sim != null) {
                sim.await("cpu " + c.id + " to run its shutdown step", () -> done.getCount() == 0);
                continue;
            }
            try {
                if (!done.await(30, TimeUnit.SECONDS)) {
                    recordError(c.id, "shutdown", null, new IllegalStateException("cpu " + c.id + " did not run its shutdown step in 30 s"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Waits until no CPU has anything pending or is mid-step, and nothing was done between two looks;
     * kicks CPUs parked with passive IPIs pending.
     */
    private void awaitQuiescence(ShutdownReport.Builder b, String phase) {
        if (sim != null) {
            try {
                sim.runUntilQuiescent();
            } catch (IllegalStateException e) {
                b.problem("kernel did not go quiet (" + phase + "): " + e.getMessage());
            }
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long lastWork = -1;
        int stable = 0;
        while (true) {
            boolean quiet = true;
            long work = 0;
            for (Cpu c : cpus) {
                work += c.busySteps.getAcquire();
                if (!leavesStep(c) || fabric.hasPending(c.id) || !fabric.submissions(c.id).quiescent()) {
                    quiet = false;
                    if (fabric.hasPending(c.id)) {
                        c.signal.fenceAndWake();
                    }
                }
            }
            if (quiet && work == lastWork) {
                if (++stable >= 3) {
                    return;
                }
            } else {
                stable = 0;
            }
            lastWork = work;
            if (System.nanoTime() > deadline) {
                b.problem("kernel did not go quiet within 30 s (" + phase + ")");
                return;
            }
            LockSupport.parkNanos(500_000);
        }
    }

    /**
     * Whether CPU {@code c} is seen between two steps within {@link #STEP_WAIT_NANOS}. A CPU that idles
     * by spinning runs empty steps back to back and is inside one most of the time; a single look would
     * call it busy nearly every time, and three quiet looks in a row could take longer than the 30 s
     * allowed (a benchmark kernel failed its shutdown so). Waiting for the moment between two steps
     * asks no less than the single look did: the CPU was outside a step, at that moment.
     */
    private static boolean leavesStep(Cpu c) {
        if (!c.inStep()) {
            return true;
        }
        long until = System.nanoTime() + STEP_WAIT_NANOS;
        while (c.inStep()) {
            if (System.nanoTime() > until) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    /** How long a quiescence look waits for a CPU to come out of its step (a handler may run long). */
    private static final long STEP_WAIT_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    @Override
    public String toString() {
        return "Kernel[" + config.name() + ", " + cpus.length + " cpus, " + state + "]";
    }
}
