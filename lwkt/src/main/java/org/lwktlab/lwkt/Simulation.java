package org.lwktlab.lwkt;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.lwktlab.ipi.IpiFabric;
import org.lwktlab.ipi.IpiQueue;
import org.lwktlab.ipi.SpinAssist;

/**
 * A kernel run as a deterministic simulation: no CPU threads — one driver thread steps every simulated
 * CPU, in an order drawn from a seed, so one seed replays one interleaving exactly.
 *
 * <p><b>A step</b> is one of: drain one inbound IPI ring of one CPU (the entries from one sender), drain
 * one CPU's submission queue, run one CPU's released cpusync rendezvous, or run one CPU's best ready
 * {@link LwktThread} for one batch. Before each step the driver lists every step that could be taken
 * (in CPU order, then ring order), and picks one with a {@link SplittableRandom} seeded once per
 * kernel. The CPU loop's idling, parking and wake-ups do not apply: a CPU with nothing to do is simply
 * not chosen. Time is simulated too: the {@link Clock} advances by {@code stepNanos} per step, so code
 * that reads {@link Lwkt#nanoTime()} sees the same times in a replay.
 *
 * <p><b>Spin-waits.</b> A CPU waiting inside a step — for room on a full IPI ring, a {@code waitIpiq},
 * a cpusync rendezvous — would spin forever, since nothing else runs. The simulation installs a
 * {@link SpinAssist}: each round of such a wait runs one step of some <em>other</em> CPU (nested, on
 * the same driver thread), drawn from the same random stream. CPUs further down that nest are mid-step,
 * so they may drain IPIs (as their own wait loops do) but not run threads. If no other CPU can step,
 * the wait can never end, and the assist throws with the CPU that is stuck.
 *
 * <p><b>The outside world</b> runs only between steps. The thread that boots the kernel is its
 * controller ({@link #current()}): it drives the simulation with {@link #runUntil}, {@link #runFor},
 * {@link #runUntilQuiescent}, and implicitly through {@link Lwkt#waitmsg}/{@link Lwkt#domsg}, which run
 * the simulation until the message is done instead of parking. Anything the controller does between
 * those calls happens at a fixed point of the interleaving, so it replays. Other outside threads, and
 * code that waits on its own (latches, sleeps, a mutex design's load threads), break determinism.
 *
 * <p><b>Invariants.</b> Every step runs on the driver thread, and {@code Lwkt.currentCpu()} is the
 * stepping CPU (the driver's {@link CpuThread#cpu} is switched per step). The driver and a controller
 * hand over through one monitor, so each sees everything the other wrote. The choice sequence depends
 * only on the seed and on what the steps do, never on real time — except that a run abandoned at its
 * real-time limit stops at an arbitrary step (that run failed anyway).
 */
public final class Simulation implements Clock {
    private static final ThreadLocal<Simulation> CONTROLLED = new ThreadLocal<>();
    private static final long NO_TIME = Long.MIN_VALUE;
    /** Nested assist steps allowed before a wait is declared stuck. */
    private static final int MAX_NESTING = 256;
    /** Real time a single run request may take before it is abandoned. */
    private static final long RUN_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final Kernel kernel;
    private final Cpu[] cpus;
    private final IpiFabric fabric;
    private final IpiQueue[][] inbound; // inbound[to][from], null on the diagonal
    private final int n;
    private final int stride;
    private final long seed;
    private final long stepNanos;
    private final EventLog log;
    private final SplittableRandom random;
    private final CpuThread driver;
    private final int[] enabled;
    private final boolean[] onStack;

    // Driver-owned; controllers read them between runs (the handover publishes them).
    private volatile long now;
    private long steps;
    private long digest = FNV_OFFSET;
    private int depth;

    private final Object handover = new Object();
    private Request pending;
    private boolean halted;

    Simulation(Kernel kernel, Cpu[] cpus, KernelConfig.SimConfig config) {
        this.kernel = kernel;
        this.cpus = cpus;
        this.fabric = kernel.fabric;
        this.n = cpus.length;
        this.stride = n + 3;
        this.seed = config.seed();
        this.stepNanos = config.stepNanos();
        this.log = config.eventLog();
        this.random = new SplittableRandom(config.seed());
        this.inbound = new IpiQueue[n][n];
        for (int to = 0; to < n; to++) {
            for (int from = 0; from < n; from++) {
                if (from != to) {
                    inbound[to][from] = fabric.ring(from, to);
                }
            }
        }
        this.enabled = new int[n * stride];
        this.onStack = new boolean[n];
        this.driver = new CpuThread(null, this::serve, kernel.name() + "-sim", 64L << 20);
    }

    /** The simulation the calling thread controls (it booted it), or null. */
    public static Simulation current() {
        return CONTROLLED.get();
    }

    void start() {
        if (log != null) {
            log.note("simulation of kernel '" + kernel.name() + "': " + n + " cpus, seed " + seed + ", " + stepNanos
                    + " ns per step");
        }
        fabric.spinAssist(this::assist);
        for (Cpu c : cpus) {
            c.signal.attach(driver);
        }
        driver.start();
        CONTROLLED.set(this);
    }

    public Kernel kernel() {
        return kernel;
    }

    /** The seed the schedule is drawn from. */
    public long seed() {
        return seed;
    }

    /** Simulated nanoseconds since boot. */
    @Override
    public long nanoTime() {
        return now;
    }

    /** Steps taken since boot (nested ones included). */
    public long steps() {
        return steps;
    }

    /**
     * A 64-bit digest of every choice made so far (CPU, source, nesting, queue lengths, thread names):
     * equal digests after equal step counts mean the two runs interleaved identically.
     */
    public long digest() {
        return digest;
    }

    // ------------------------------------------------------------------ driving, from the controller

    /**
     * Steps until {@code condition} holds (checked before every step, on the driver thread) or nothing
     * can step.
     *
     * @return true if the condition holds; false if the simulation went quiet first
     * @throws IllegalStateException if it ran for a minute of real time without either
     */
    public boolean runUntil(BooleanSupplier condition) {
        Objects.requireNonNull(condition, "condition");
        return request(new Request(condition, NO_TIME, Long.MAX_VALUE, "a condition")).outcome == Outcome.CONDITION;
    }

    /**
     * Like {@link #runUntil}, but a simulation that goes quiet first is an error naming {@code what}.
     *
     * @throws IllegalStateException when everything is idle and {@code condition} still does not hold
     */
    public void await(String what, BooleanSupplier condition) {
        if (!runUntil(condition)) {
            throw new IllegalStateException("deterministic simulation (seed " + seed + ") went quiet after " + steps
                    + " steps while waiting for " + what + ": nothing is left to run that could make it true");
        }
    }

    /**
     * Runs {@code nanos} of simulated time. If everything goes idle sooner, the clock jumps to the end
     * (simulated idle time).
     *
     * @return steps taken
     */
    public long runFor(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("runFor: simulated time must be >= 0, got " + nanos);
        }
        return request(new Request(null, now + nanos, Long.MAX_VALUE, nanos + " ns of simulated time")).ran;
    }

    /**
     * Steps until nothing can step: every ring, submission queue and run queue is empty.
     *
     * @return steps taken
     */
    public long runUntilQuiescent() {
        return request(new Request(null, NO_TIME, Long.MAX_VALUE, "quiescence")).ran;
    }

    /** Takes one step if any can be taken; false when everything is idle. */
    public boolean step() {
        return request(new Request(null, NO_TIME, 1, "one step")).ran == 1;
    }

    /** Runs until {@code msg} is done, for {@link Lwkt#waitmsg} on the controller. */
    int awaitDone(Message msg) {
        await("the reply to " + msg, () -> (msg.flagsVolatile() & Message.DONE) != 0);
        return msg.error;
    }

    private Request request(Request r) {
        if (Thread.currentThread() == driver) {
            throw new IllegalStateException("the simulation cannot be driven from inside one of its own steps (" + r.what
                    + "): a CPU never waits; continue in a reply handler");
        }
        boolean interrupted = false;
        synchronized (handover) {
            if (halted) {
                throw new IllegalStateException("the simulation of kernel '" + kernel.name() + "' has stopped");
            }
            while (pending != null) { // another outside thread is driving: wait for it (not deterministic)
                try {
                    handover.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            pending = r;
            handover.notifyAll();
            while (!r.done) {
                try {
                    handover.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (r.failure instanceof RuntimeException e) {
            throw e;
        }
        if (r.failure instanceof Error e) {
            throw e;
        }
        if (r.outcome == Outcome.TIMEOUT) {
            throw new IllegalStateException("deterministic simulation (seed " + seed + ") ran " + r.ran
                    + " steps for a minute of real time without reaching " + r.what);
        }
        return r;
    }

    /** Stops the driver thread; the simulation takes no more steps. From {@code Kernel.shutdown}. */
    void halt() {
        synchronized (handover) {
            halted = true;
            handover.notifyAll();
        }
        try {
            driver.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (log != null) {
            log.note("halted after " + steps + " steps at t=" + now + "ns, digest " + Long.toHexString(digest));
            log.flush();
        }
        if (CONTROLLED.get() == this) {
            CONTROLLED.remove();
        }
    }

    boolean driverAlive() {
        return driver.isAlive();
    }

    // ------------------------------------------------------------------ the driver

    private void serve() {
        CONTROLLED.set(this);
        for (;;) {
            Request r;
            synchronized (handover) {
                while ((r = pending) == null && !halted) {
                    try {
                        handover.wait();
                    } catch (InterruptedException e) {
                        // only halt() ends the driver
                    }
                }
                if (r == null) {
                    return;
                }
            }
            try {
                r.outcome = run(r);
            } catch (Throwable t) {
                r.failure = t;
            }
            for (Cpu c : cpus) {
                c.publishAllProbes(); // the controller reads exact counts between requests
            }
            if (log != null) {
                log.flush();
            }
            synchronized (handover) {
                pending = null;
                r.done = true;
                handover.notifyAll();
            }
        }
    }

    private Outcome run(Request r) {
        final long deadline = System.nanoTime() + RUN_LIMIT_NANOS;
        for (;;) {
            if (r.until != null && r.until.getAsBoolean()) {
                return Outcome.CONDITION;
            }
            if (r.untilTime != NO_TIME && now - r.untilTime >= 0) {
                return Outcome.TIME;
            }
            if (r.ran >= r.maxSteps) {
                return Outcome.STEP_LIMIT;
            }
            int k = enumerate(-1);
            if (k == 0) {
                if (r.untilTime != NO_TIME) {
                    if (log != null) {
                        log.note("idle from t=" + now + "ns to t=" + r.untilTime + "ns");
                    }
                    now = r.untilTime;
                    return Outcome.TIME;
                }
                return Outcome.QUIESCENT;
            }
            execute(enabled[random.nextInt(k)]);
            r.ran++;
            if ((r.ran & 1023) == 0 && System.nanoTime() - deadline > 0) {
                return Outcome.TIMEOUT;
            }
        }
    }

    /** Lists every step that can be taken now, leaving out CPU {@code exclude}; returns how many. */
    private int enumerate(int exclude) {
        int k = 0;
        for (int c = 0; c < n; c++) {
            if (c == exclude) {
                continue;
            }
            final int base = c * stride;
            final IpiQueue[] in = inbound[c];
            for (int from = 0; from < n; from++) {
                if (from != c && !in[from].isEmpty()) {
                    enabled[k++] = base + from;
                }
            }
            if (fabric.submissions(c).hasPending()) {
                enabled[k++] = base + n;
            }
            final boolean held = fabric.quiesced(c);
            if (held && fabric.cpusyncRunnable(c)) {
                enabled[k++] = base + n + 1;
            }
            if (!held && !onStack[c] && !cpus[c].runq.isEmpty()) {
                enabled[k++] = base + n + 2;
            }
        }
        return k;
    }

    /** Takes step {@code action} ({@code cpu * stride + source}) on the driver thread. */
    private void execute(int action) {
        final int c = action / stride;
        final int source = action % stride;
        final Cpu cpu = cpus[c];
        int queued;
        LwktThread td = null;
        if (source < n) {
            queued = inbound[c][source].size();
        } else if (source == n) {
            queued = fabric.submissions(c).size();
        } else if (source == n + 1) {
            queued = 1;
        } else {
            td = cpu.runq.pick(cpu);
            queued = td == null ? 0 : td.port.queue.size();
        }
        now += stepNanos;
        record(c, source, queued, td);
        final boolean wasOnStack = onStack[c];
        final Cpu prev = driver.cpu;
        driver.cpu = cpu;
        onStack[c] = true;
        depth++;
        try {
            int work;
            if (source < n) {
                work = fabric.drainRing(c, source);
            } else if (source == n) {
                work = fabric.drainSubmissions(c);
            } else if (source == n + 1) {
                work = fabric.runReleasedCpusyncs(c);
            } else {
                work = td == null ? 0 : cpu.run(td);
            }
            if (!wasOnStack) {
                cpu.finishStep(work);
            }
        } finally {
            depth--;
            onStack[c] = wasOnStack;
            driver.cpu = prev;
        }
    }

    private void record(int c, int source, int queued, LwktThread td) {
        long h = digest;
        h = (h ^ c) * FNV_PRIME;
        h = (h ^ source) * FNV_PRIME;
        h = (h ^ depth) * FNV_PRIME;
        h = (h ^ queued) * FNV_PRIME;
        h = (h ^ (td == null ? 0 : td.name.hashCode())) * FNV_PRIME;
        digest = h;
        if (log != null) {
            String what;
            if (source < n) {
                what = "ipi<-cpu" + source + " (" + queued + " queued)";
            } else if (source == n) {
                what = "submissions (" + queued + " queued)";
            } else if (source == n + 1) {
                what = "cpusync";
            } else if (td == null) {
                what = "run: every ready thread waits for a token";
            } else {
                what = "run '" + td.name + "' (" + queued + " queued)";
            }
            log.step(steps, now, depth, c, what);
        }
        steps++;
    }

    /** The {@link SpinAssist}: a waiting CPU (or outside thread) lets one other CPU step. */
    private void assist(int waitingCpu) {
        if (Thread.currentThread() != driver) {
            if (!step()) {
                throw stuck("an outside thread waits for room in a submission queue or for a cpusync");
            }
            return;
        }
        if (depth >= MAX_NESTING) {
            throw stuck("cpu " + waitingCpu + " waits in a spin loop " + depth + " waits deep");
        }
        int k = enumerate(waitingCpu);
        if (k == 0) {
            throw stuck("cpu " + waitingCpu + " waits in a spin loop (full IPI ring, waitIpiq or cpusync)");
        }
        execute(enabled[random.nextInt(k)]);
    }

    private IllegalStateException stuck(String who) {
        return new IllegalStateException("deterministic simulation (seed " + seed + ") is stuck after " + steps + " steps: "
                + who + ", and no other CPU has anything to do, so the wait can never end");
    }

    @Override
    public String toString() {
        return "Simulation[" + kernel.name() + ", seed " + seed + ", " + steps + " steps, t=" + now + "ns]";
    }

    private enum Outcome { CONDITION, TIME, QUIESCENT, STEP_LIMIT, TIMEOUT }

    /** One run asked of the driver; fields after {@code what} are written by the driver. */
    private static final class Request {
        final BooleanSupplier until;
        final long untilTime;
        final long maxSteps;
        final String what;
        long ran;
        Outcome outcome;
        Throwable failure;
        boolean done;

        Request(BooleanSupplier until, long untilTime, long maxSteps, String what) {
            this.until = until;
            this.untilTime = untilTime;
            this.maxSteps = maxSteps;
            this.what = what;
        }
    }
}
