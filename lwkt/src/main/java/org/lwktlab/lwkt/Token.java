package org.lwktlab.lwkt;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * A serialising token ({@code lwkt_token}): soft serialisation across CPUs. An {@link LwktThread}
 * declares the tokens it needs; the scheduler acquires all of them before the thread runs a batch and
 * releases them when the batch returns. If one is held elsewhere the thread is skipped (re-queued),
 * never blocked — so no acquisition order can deadlock, and contention only delays scheduling.
 *
 * <p><b>Invariants</b> (§9.16): at most one exclusive holder; shared and exclusive holders never
 * coexist; a thread runs only holding <em>all</em> its tokens (acquisition is all-or-nothing); a token
 * is held only while its thread runs.
 *
 * <p>State is one word: bit 0 = exclusive, shared holders counted in steps of 2. Acquire is a CAS;
 * writes made under the token are published by the releasing store.
 *
 * <p>Probes per CPU: acquisitions and collisions (DragonFly's {@code v_token_colls}).
 */
public final class Token {
    /** How a thread holds a token. */
    public enum Mode { EXCLUSIVE, SHARED }

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Token.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    @SuppressWarnings("unused") // through STATE
    private volatile long state;
    private final AtomicCounter[] acquisitions;
    private final AtomicCounter[] collisions;

    Token(String name, AtomicCounter[] acquisitions, AtomicCounter[] collisions) {
        this.name = name;
        this.acquisitions = acquisitions;
        this.collisions = collisions;
    }

    public String name() {
        return name;
    }

    /** This token held exclusively, for a thread's declaration. */
    public TokenRef exclusive() {
        return new TokenRef(this, Mode.EXCLUSIVE);
    }

    /** This token held shared, for a thread's declaration. */
    public TokenRef shared() {
        return new TokenRef(this, Mode.SHARED);
    }

    /** Tries to take the token on behalf of CPU {@code cpu}; never waits. */
    boolean tryAcquire(Mode mode, int cpu, boolean probed) {
        boolean ok;
        if (mode == Mode.EXCLUSIVE) {
            ok = STATE.compareAndSet(this, 0L, 1L);
        } else {
            ok = false;
            for (;;) {
                long s = (long) STATE.getVolatile(this);
                if ((s & 1L) != 0) {
                    break;
                }
                if (STATE.compareAndSet(this, s, s + 2)) {
                    ok = true;
                    break;
                }
            }
        }
        if (probed) {
            (ok ? acquisitions[cpu] : collisions[cpu]).incrementRelease();
        }
        return ok;
    }

    void release(Mode mode) {
        if (mode == Mode.EXCLUSIVE) {
            STATE.setRelease(this, 0L);
        } else {
            STATE.getAndAdd(this, -2L);
        }
    }

    /** True while someone holds it exclusively. */
    public boolean heldExclusive() {
        return ((long) STATE.getAcquire(this) & 1L) != 0;
    }

    /** Number of shared holders now. */
    public int sharedHolders() {
        return (int) ((long) STATE.getAcquire(this) >>> 1);
    }

    /** Collisions on CPU {@code cpu} so far. */
    public long collisions(int cpu) {
        return collisions[cpu].getAcquire();
    }

    /** Acquisitions on CPU {@code cpu} so far. */
    public long acquisitions(int cpu) {
        return acquisitions[cpu].getAcquire();
    }

    @Override
    public String toString() {
        return "Token[" + name + "]";
    }
}
