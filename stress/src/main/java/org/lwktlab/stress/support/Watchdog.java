package org.lwktlab.stress.support;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Rescues a thread stuck in a blocking call it cannot bound itself (the real {@code Lwkt.waitmsg}
 * parks until its reply wakes it), and says so: a missed wake-up becomes a reported outcome instead
 * of a hung run.
 *
 * <p>A thread {@link #arm arms} its slot before the call and {@link #disarm disarms} it after. A
 * daemon thread looks at every armed slot a few times per second and interrupts the thread of one
 * armed for longer than its limit. Exactly one of "disarm" and "rescue" wins each slot (a CAS), so an
 * interrupt never leaks into the thread's next call: when the rescue won, {@code disarm} waits for the
 * interrupt to land and clears it.
 *
 * <p>{@code waitmsg} returns when it is interrupted and finds its message done (it restores the
 * interrupt status), so a rescued wait returns and the test can report it.
 */
public final class Watchdog {
    private static final int IDLE = 0;
    private static final int ARMED = 1;
    private static final int RESCUED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Slot.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One waiting thread's slot; reused by that thread for every wait. */
    public static final class Slot {
        private final Thread thread = Thread.currentThread();
        private final long limitNanos;
        @SuppressWarnings("unused") // through STATE
        private volatile int state;
        private volatile long since;

        private Slot(long limitNanos) {
            this.limitNanos = limitNanos;
        }

        /** Before the blocking call. Owner thread only. */
        public void arm() {
            since = System.nanoTime();
            STATE.setVolatile(this, ARMED);
        }

        /**
         * After the blocking call. Owner thread only.
         *
         * @return true if the watchdog had to interrupt the call (it would have hung)
         */
        public boolean disarm() {
            if (STATE.compareAndSet(this, ARMED, IDLE)) {
                return false;
            }
            while (!Thread.interrupted()) {
                Thread.onSpinWait();
            }
            STATE.setVolatile(this, IDLE);
            return true;
        }

        private void inspect(long now) {
            if ((int) STATE.getVolatile(this) == ARMED && now - since > limitNanos
                    && STATE.compareAndSet(this, ARMED, RESCUED)) {
                thread.interrupt();
            }
        }
    }

    private static final CopyOnWriteArrayList<Slot> SLOTS = new CopyOnWriteArrayList<>();
    private static final ThreadLocal<Slot> MINE = new ThreadLocal<>();

    static {
        Thread t = new Thread(Watchdog::patrol, "stress-watchdog");
        t.setDaemon(true);
        t.start();
    }

    private Watchdog() {}

    /**
     * The calling thread's slot, rescuing after {@code limitNanos}; created on first use. A thread
     * keeps the limit of its first call.
     */
    public static Slot slot(long limitNanos) {
        Slot s = MINE.get();
        if (s == null) {
            s = new Slot(limitNanos);
            MINE.set(s);
            SLOTS.add(s);
        }
        return s;
    }

    private static void patrol() {
        for (;;) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            long now = System.nanoTime();
            for (Slot s : SLOTS) {
                if (!s.thread.isAlive()) {
                    SLOTS.remove(s);
                } else {
                    s.inspect(now);
                }
            }
        }
    }
}
