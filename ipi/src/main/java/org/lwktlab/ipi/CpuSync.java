package org.lwktlab.ipi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * A rendezvous that runs a function on a set of CPUs in their IPI context and returns only when every
 * one of them has run it (DragonFly's {@code lwkt_cpusync}, used there for TLB shoot-down).
 *
 * <p><b>Protocol</b> ({@code cs_mack} bit mask, dragonfly.md §1):
 * <ol>
 *   <li>{@link #interlock}: the master sends {@code remote1} to every target and spins, draining its
 *       own IPIs, until each target has set its bit in {@code mack}.</li>
 *   <li>{@code remote1} on a target sets its bit and parks the rendezvous on the target's cpusync
 *       queue: the target is now <em>quiesced</em> — it keeps draining IPIs but runs no threads.</li>
 *   <li>{@link #deinterlock}: the master clears {@code mack} (the release), runs the function itself
 *       if it is in the mask, and spins until every target has run the function and set its bit
 *       again. After that the targets never touch this object, so the master may reuse it.</li>
 * </ol>
 * {@link #run} is interlock + deinterlock; {@link #quick} skips the quiesce phase (targets run the
 * function and acknowledge at once).
 *
 * <p><b>Invariants</b> (§9.8): the function runs exactly once per CPU in the mask; no target runs it
 * before {@code deinterlock} starts; {@code deinterlock} returns only after all have run it (their
 * writes visible through {@code mack}'s release/acquire); concurrent masters both finish, because a
 * master's spin loops drain IPIs and run other masters' released rendezvous without ever waiting on
 * them.
 *
 * <p>The master is a CPU id, or {@link #EXTERNAL} for a thread outside the kernel (then requests go
 * through the submission queues). One rendezvous at a time per object.
 */
public final class CpuSync implements SubmittedIpi {
    /** Master id of a thread outside the kernel. */
    public static final int EXTERNAL = -1;

    private static final VarHandle MACK;

    static {
        try {
            MACK = MethodHandles.lookup().findVarHandle(CpuSync.class, "mack", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final IpiFabric fabric;
    @SuppressWarnings("unused") // accessed through MACK
    private volatile long mack;
    private long targets;
    private long requested;
    private int master = Integer.MIN_VALUE;
    private boolean quickMode;
    private boolean interlocked;
    private IpiFunction function;
    private Object arg;
    private long arg2;

    /** A rendezvous object over {@code fabric}; reusable by one master at a time. */
    public CpuSync(IpiFabric fabric) {
        this.fabric = Objects.requireNonNull(fabric, "fabric");
    }

    /** Runs {@code f} on every CPU in {@code mask} (quiescing them first) and returns when all have. */
    public void run(int master, long mask, IpiFunction f, Object arg, long arg2) {
        interlock(master, mask, f, arg, arg2);
        deinterlock();
    }

    /**
     * Quiesces every other CPU in {@code mask}; returns when all are held. {@code f} runs at
     * {@link #deinterlock}.
     */
    public void interlock(int master, long mask, IpiFunction f, Object arg, long arg2) {
        start(master, mask, f, arg, arg2, false);
        awaitAll();
        interlocked = true;
    }

    /** Releases the held CPUs; each (and the master, if in the mask) runs the function; returns when all have. */
    public void deinterlock() {
        if (!interlocked) {
            throw new IllegalStateException("deinterlock without interlock");
        }
        interlocked = false;
        MACK.setVolatile(this, 0L);
        if (master >= 0) {
            fabric.signalAll(targets);
        } else {
            fabric.kickAll(targets);
        }
        runOnMasterIfRequested();
        awaitAll();
        finish();
    }

    /** Runs {@code f} on every CPU in {@code mask} without quiescing; returns when all have. */
    public void quick(int master, long mask, IpiFunction f, Object arg, long arg2) {
        start(master, mask, f, arg, arg2, true);
        runOnMasterIfRequested();
        awaitAll();
        finish();
    }

    private void start(int master, long mask, IpiFunction f, Object a, long a2, boolean quick) {
        if (this.master != Integer.MIN_VALUE) {
            throw new IllegalStateException("this CpuSync is already in use by master " + this.master);
        }
        if (master != EXTERNAL && (master < 0 || master >= fabric.ncpus())) {
            throw new IllegalArgumentException("cpusync master must be a cpu 0.." + (fabric.ncpus() - 1)
                    + " or EXTERNAL, got " + master);
        }
        CpuMask.check(mask, fabric.ncpus());
        Objects.requireNonNull(f, "function");
        if (master == EXTERNAL) {
            fabric.externalCpusyncLock().lock(); // external masters share one queue slot per target
        }
        this.function = f;
        this.arg = a;
        this.arg2 = a2;
        this.master = master;
        this.quickMode = quick;
        this.requested = mask;
        this.targets = master >= 0 ? mask & ~(1L << master) : mask;
        MACK.setVolatile(this, 0L);
        if (master >= 0) {
            fabric.masterEnter(master);
            long m = targets;
            while (m != 0) {
                int t = Long.numberOfTrailingZeros(m);
                m &= m - 1;
                fabric.send(master, t, REMOTE1, this, 0);
            }
            fabric.flushWakeups(master);
        } else {
            long m = targets;
            while (m != 0) {
                int t = Long.numberOfTrailingZeros(m);
                m &= m - 1;
                fabric.submit(t, this);
            }
        }
    }

    private void runOnMasterIfRequested() {
        if (master >= 0 && (requested & (1L << master)) != 0) {
            try {
                function.ipi(master, arg, arg2);
            } catch (Throwable t) {
                fabric.errorHandler().ipiFailed(master, function, arg, t);
            }
        }
    }

    private void awaitAll() {
        final long want = targets;
        int spins = 0;
        while ((long) MACK.getAcquire(this) != want) {
            if (master >= 0) {
                fabric.flushWakeups(master);
                fabric.process(master);
                if (++spins > 64) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            } else if (++spins < 64) {
                Thread.onSpinWait();
            } else if (spins < 128) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    private void finish() {
        if (master >= 0) {
            fabric.masterExit(master);
            fabric.process(master); // laggards, as DragonFly's deinterlock does
        }
        boolean external = master == EXTERNAL;
        function = null;
        arg = null;
        master = Integer.MIN_VALUE;
        if (external) {
            fabric.externalCpusyncLock().unlock();
        }
    }

    /** The IPI a CPU master sends. */
    private static final IpiFunction REMOTE1 = (cpu, a, a2) -> ((CpuSync) a).remote1(cpu);

    /** The same step, reached through a submission queue from an external master. */
    @Override
    public void ipi(int cpu) {
        remote1(cpu);
    }

    private void remote1(int cpu) {
        if (quickMode) {
            runAndAck(cpu, fabric.errorHandler());
            return;
        }
        MACK.getAndBitwiseOr(this, 1L << cpu);
        fabric.cpusyncEnqueue(cpu, master >= 0 ? master : fabric.ncpus(), this);
    }

    /** True once the master released this CPU (its bit is clear again). */
    boolean released(int cpu) {
        return ((long) MACK.getAcquire(this) & (1L << cpu)) == 0;
    }

    /** Runs the function on {@code cpu} and acknowledges; the last touch of this object by a target. */
    void runAndAck(int cpu, IpiErrorHandler onError) {
        IpiFunction f = function;
        try {
            f.ipi(cpu, arg, arg2);
        } catch (Throwable t) {
            onError.ipiFailed(cpu, f, arg, t);
        }
        MACK.getAndBitwiseOr(this, 1L << cpu);
    }
}
