package org.lwktlab.ipi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

abstract class IpiSignalPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p0a, p0b, p0c, p0d, p0e, p0f;
}

abstract class IpiSignalFields extends IpiSignalPad0 {
    /** 1 while the owner has announced it is about to park; 0 while it runs. */
    volatile int idle;
    /** The owner's platform thread; set once when the CPU starts. */
    volatile Thread thread;
}

abstract class IpiSignalPad1 extends IpiSignalFields {
    long p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p1a, p1b, p1c, p1d, p1e, p1f;
}

/**
 * A CPU's wake-up interlock — the role of DragonFly's {@code gd_npoll}: at most one wake-up is
 * outstanding per target, and a sender whose target is running sends none (the skipped wake-up is
 * counted as coalesced).
 *
 * <p><b>Protocol (Dekker).</b>
 * <pre>
 *   target:  idle = 1 (volatile store; StoreLoad)   then re-check every inbound queue; park only if empty
 *   sender:  publish the entry (release)            then full fence; if idle == 1, CAS 1 -> 0 and unpark
 * </pre>
 * Each side stores, fences, then loads what the other stored, so at least one of them sees the other:
 * either the target finds the entry in its re-check, or the sender finds {@code idle == 1} and wakes it.
 * No wake-up is lost (dragonfly.md §9.5). The CAS lets only one of several racing senders unpark;
 * the others count a skipped wake-up, which is only ever skipped because someone else woke the
 * target or it had not announced idle.
 */
public final class IpiSignal extends IpiSignalPad1 {
    private static final VarHandle IDLE;

    static {
        try {
            IDLE = MethodHandles.lookup().findVarHandle(IpiSignalFields.class, "idle", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Binds the owner thread. Called once by the owner when it starts. */
    public void attach(Thread owner) {
        thread = owner;
    }

    /** The bound owner thread, or null before the CPU starts. */
    public Thread owner() {
        return thread;
    }

    /**
     * Owner only: announces it is about to park. The caller must re-check every source of work
     * afterwards, and call {@link #cancelIdle} if it finds any.
     */
    public void announceIdle() {
        IDLE.setVolatile(this, 1);
    }

    /** Owner only: it is running again. */
    public void cancelIdle() {
        IDLE.setRelease(this, 0);
    }

    /** True while the owner has announced idle and nobody has woken it yet. */
    public boolean isIdle() {
        return (int) IDLE.getAcquire(this) == 1;
    }

    /**
     * Sender side, after publishing work <em>and a full fence</em>: wakes the owner if it announced idle.
     *
     * @return true if this call woke it; false if it was running or another sender already woke it
     */
    public boolean wakeIfIdle() {
        if ((int) IDLE.getAcquire(this) == 1 && IDLE.compareAndSet(this, 1, 0)) {
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
            return true;
        }
        return false;
    }

    /** Publishes pending stores (full fence), then {@link #wakeIfIdle}. For one-off senders. */
    public boolean fenceAndWake() {
        VarHandle.fullFence();
        return wakeIfIdle();
    }

    /** Unconditional unpark (shutdown, cpusync release): costs a syscall if the owner is parked. */
    public void kick() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
