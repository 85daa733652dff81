package org.lwktlab.lwkt;

import org.agrona.concurrent.status.AtomicCounter;

/**
 * Test-support seam for the jcstress suite (module {@code stress}), living in the stress jar but in
 * this package so it reaches package-private members without widening the runtime's public API.
 *
 * <ul>
 *   <li>{@link Token}'s acquire and release are the scheduler's business ({@code Runqueue.pick},
 *       {@code Cpu.run}); the token tests call them directly, each actor playing one CPU.</li>
 *   <li>{@link #replyWithReleaseStore} is the deliberately broken twin of {@code WaitPort.reply}, for
 *       {@code org.lwktlab.stress.broken}: it publishes {@code DONE} with a release store where the
 *       real port uses a volatile one.</li>
 * </ul>
 * Nothing outside the stress suite may call this class.
 */
public final class StressSeam {
    private static final AtomicCounter[] NO_COUNTERS = new AtomicCounter[0];

    private StressSeam() {}

    /** A token outside any kernel, with probes off (its counters are never touched). */
    public static Token token(String name) {
        return new Token(name, NO_COUNTERS, NO_COUNTERS);
    }

    /** {@code Token.tryAcquire} on behalf of CPU {@code cpu}, unprobed: never waits. */
    public static boolean tryAcquire(Token token, Token.Mode mode, int cpu) {
        return token.tryAcquire(mode, cpu, false);
    }

    /** {@code Token.release}. */
    public static void release(Token token, Token.Mode mode) {
        token.release(mode);
    }

    /**
     * {@code Lwkt.replymsg} for a message whose reply port is the {@link WaitPort}, except that
     * {@code DONE} is published with a <em>release</em> store before the waiter is read: a store then a
     * load with no StoreLoad fence between them. BROKEN ON PURPOSE — the waiter can park for good.
     */
    public static void replyWithReleaseStore(Message msg, int error) {
        msg.error = error;
        msg.handoffs++;
        msg.setFlags(Message.REPLY | Message.DONE);
        Thread w = msg.waiter;
        if (w != null) {
            java.util.concurrent.locks.LockSupport.unpark(w);
        }
    }
}
