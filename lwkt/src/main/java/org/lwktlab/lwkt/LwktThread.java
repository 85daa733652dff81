package org.lwktlab.lwkt;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.lwktlab.ipi.IpiFunction;
import org.lwktlab.metrics.probe.Labels;

/**
 * An LWKT thread: a run-to-completion execution context bound to one CPU, with its own
 * {@link ThreadPort} and a priority. It is not a Java thread: the CPU runs it by calling its
 * {@link MessageHandler} on each queued message, in batches, then its {@link Rollup}.
 *
 * <p><b>Invariants</b> (dragonfly.md §3): owned by one CPU ({@link #cpu()}); only that CPU touches its
 * scheduling state, and other CPUs affect it only by putting messages on its port (which becomes an
 * IPI to the owner) — there is no remote preemption (§9.20). It runs only holding all its declared
 * {@link Token}s. A thread migrates only by itself ({@link #migrate}), at the end of a batch.
 */
public final class LwktThread extends LwktSchedStatePad {
    /** Priorities, as DragonFly's {@code TDPRI_*}. Higher runs first. */
    public static final int PRI_IDLE = 0;
    public static final int PRI_USER = 6;
    public static final int PRI_KERNEL = 10;
    public static final int PRI_DAEMON = 12;
    public static final int PRI_SOFT = 14;
    public static final int PRI_TIMER = 16;
    public static final int PRI_INT_SUPPORT = 20;
    public static final int PRI_MAX = 31;

    /** Messages a thread handles per run when not configured. */
    public static final int DEFAULT_BATCH = 256;

    final String name;
    final int priority;
    final MessageHandler handler;
    final Rollup rollup;
    final TokenRef[] tokens;
    final int batchLimit;
    final ShutdownHook shutdownHook;
    final Kernel kernel;
    final ThreadPort port;
    volatile Cpu cpu;
    // Scheduling state (owner CPU only): LwktSchedState, a pad away from the fields above.

    private LwktThread(Builder b, Kernel kernel, Cpu cpu) {
        this.name = b.name;
        this.priority = b.priority;
        this.handler = b.handler;
        this.rollup = b.rollup;
        this.tokens = b.tokens.toArray(new TokenRef[0]);
        this.batchLimit = b.batchLimit;
        this.shutdownHook = b.shutdownHook;
        this.kernel = kernel;
        this.cpu = cpu;
        Labels labels = Labels.of("cpu", Integer.toString(cpu.id)).and(b.labels);
        this.port = new ThreadPort(b.name, this, kernel.probes(), kernel.probesEnabled(), labels);
    }

    /** Starts describing a thread. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public int priority() {
        return priority;
    }

    /** The CPU that owns the thread now. */
    public Cpu cpu() {
        return cpu;
    }

    /** The thread's port: send requests here. */
    public ThreadPort port() {
        return port;
    }

    public Kernel kernel() {
        return kernel;
    }

    /**
     * A reply port whose replies run {@code handler} in this thread's context. Create them at set-up and
     * keep them: a port is meant to live as long as its thread.
     */
    public CallbackPort callbackPort(String portName, ReplyHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return new CallbackPort(portName, this, handler);
    }

    /**
     * Puts this thread on the run queue if it has work and is not already there. Owner CPU only;
     * remote CPUs reach it by putting a message on its port.
     */
    void schedule() {
        if (!onRunq && !running) {
            cpu.runq.enqueue(this);
        }
    }

    boolean acquireTokens(Cpu on) {
        final TokenRef[] t = tokens;
        for (int i = 0; i < t.length; i++) {
            if (!t[i].token().tryAcquire(t[i].mode(), on.id, on.probed)) {
                for (int j = i - 1; j >= 0; j--) {
                    t[j].token().release(t[j].mode());
                }
                return false;
            }
        }
        return true;
    }

    void releaseTokens() {
        final TokenRef[] t = tokens;
        for (int i = t.length - 1; i >= 0; i--) {
            t[i].token().release(t[i].mode());
        }
    }

    boolean declares(Token t) {
        for (TokenRef r : tokens) {
            if (r.token() == t) {
                return true;
            }
        }
        return false;
    }

    /**
     * Moves this thread to CPU {@code target} (push-style, {@code lwkt_setcpu_self}). Call on the
     * thread's current CPU — typically from its own handler; the move happens when the current batch
     * ends. Queued messages move with it, ahead of anything already sent to the new CPU; messages
     * still on their way to the old CPU are forwarded there on arrival.
     */
    public void migrate(int target) {
        Cpu cur = Lwkt.currentCpu();
        if (cur != cpu) {
            throw new IllegalStateException("thread " + name + " lives on cpu " + cpu.id
                    + "; migrate() must be called there, not on " + (cur == null ? "an outside thread" : "cpu " + cur.id));
        }
        if (target < 0 || target >= kernel.ncpus()) {
            throw new IllegalArgumentException("cannot migrate thread " + name + " to cpu " + target
                    + ": cpus are 0.." + (kernel.ncpus() - 1));
        }
        if (target == cpu.id) {
            return;
        }
        migrateTo = target;
        if (!running) {
            cur.completeMigration(this);
        }
    }

    /** The IPI that lands a migrating thread on its new CPU with its queued messages. */
    static final IpiFunction SETCPU_IPI = (cpuId, a, chain) -> {
        MigrationCarrier mc = (MigrationCarrier) a;
        mc.td.arrive(mc.first);
    };

    record MigrationCarrier(LwktThread td, Message first) {}

    /** On the new CPU: re-queues the carried messages ahead of any that arrived directly. */
    void arrive(Message first) {
        port.probed = cpu.probed; // the new CPU's setting (Kernel#probes)
        List<Message> carried = new ArrayList<>();
        for (Message m = first; m != null; ) {
            Message n = m.next;
            m.next = null;
            m.prev = null;
            carried.add(m);
            m = n;
        }
        Message rest = port.queue.takeAll();
        for (Message m : carried) {
            port.queue.add(m);
        }
        for (Message m = rest; m != null; ) {
            Message n = m.next;
            port.queue.add(m);
            m = n;
        }
        if (!port.queue.isEmpty()) {
            schedule();
        }
    }

    @Override
    public String toString() {
        return "LwktThread[" + name + "@cpu" + cpu.id + ", pri " + priority + "]";
    }

    /** Describes a thread; {@link #spawn} creates it. */
    public static final class Builder {
        private final String name;
        private int priority = PRI_KERNEL;
        private MessageHandler handler;
        private Rollup rollup;
        private final Set<TokenRef> tokens = new LinkedHashSet<>();
        private int batchLimit = DEFAULT_BATCH;
        private ShutdownHook shutdownHook;
        private Labels labels = Labels.empty();

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a thread needs a name");
            }
            this.name = name;
        }

        /** Priority 0..31 (default {@link #PRI_KERNEL}). */
        public Builder priority(int p) {
            if (p < PRI_IDLE || p > PRI_MAX) {
                throw new IllegalArgumentException("thread " + name + ": priority must be 0.." + PRI_MAX + ", got " + p);
            }
            this.priority = p;
            return this;
        }

        /** What runs for each message (required). */
        public Builder handler(MessageHandler h) {
            this.handler = Objects.requireNonNull(h, "handler");
            return this;
        }

        /** What runs after each batch. */
        public Builder rollup(Rollup r) {
            this.rollup = r;
            return this;
        }

        /** Tokens the thread holds while it runs. */
        public Builder tokens(TokenRef... refs) {
            for (TokenRef r : refs) {
                for (TokenRef have : tokens) {
                    if (have.token() == r.token()) {
                        throw new IllegalArgumentException("thread " + name + " declares token "
                                + r.token().name() + " twice");
                    }
                }
                tokens.add(r);
            }
            return this;
        }

        /** Messages per run before the CPU looks at its IPIs and other threads again (default 256). */
        public Builder batchLimit(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("thread " + name + ": batch limit must be >= 1, got " + n);
            }
            this.batchLimit = n;
            return this;
        }

        /** Replies whatever the thread still holds when the kernel shuts down. */
        public Builder onShutdown(ShutdownHook h) {
            this.shutdownHook = h;
            return this;
        }

        /** Extra probe labels for the thread's port (e.g. {@code subsystem}). */
        public Builder labels(Labels l) {
            this.labels = Objects.requireNonNull(l, "labels");
            return this;
        }

        /** Creates the thread on CPU {@code cpu} of {@code kernel}. Any thread may call this. */
        public LwktThread spawn(Kernel kernel, int cpu) {
            if (handler == null) {
                throw new IllegalArgumentException("thread " + name + " needs a handler");
            }
            Cpu c = kernel.cpu(cpu);
            LwktThread td = new LwktThread(this, kernel, c);
            c.adopt(td);
            return td;
        }
    }
}
