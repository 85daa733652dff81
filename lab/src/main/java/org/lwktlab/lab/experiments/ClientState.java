package org.lwktlab.lab.experiments;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.lwktlab.lab.experiment.LoadRecorder;
import org.lwktlab.lab.experiment.Pacer;
import org.lwktlab.lab.experiment.Trial;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.Port;

/**
 * The bookkeeping of N in-kernel load generators ("clients"), one per CPU: operations completed and in
 * flight, whether the client is stopping, a pool of its messages, its recorder and (open loop) its
 * pacer.
 *
 * <p><b>Invariants.</b> Client {@code c}'s entries are touched only by code running on client
 * {@code c}'s CPU, so they are plain fields; each client's counters sit on their own cache line
 * ({@code (c + 1) · 8} longs into one array, a spare line before the first) so clients on different
 * CPUs never false-share. The runner reads {@link #totalCompleted()} only after every client drained,
 * which the drain counter's atomic publishes.
 */
final class ClientState {
    private static final int LINE = 8;
    private static final int COMPLETED = 0;
    private static final int IN_FLIGHT = 1;
    private static final int STOPPING = 2;

    private final long[] slots;
    private final ArrayDeque<Message>[] free;
    final LoadRecorder[] recorders;
    /** Open loop: one pacer per client; empty in closed loop. */
    final List<Pacer> pacers;
    /** Where a new message of client {@code c} is replied. Set by the design before the first send. */
    final Port[] replyPorts;

    @SuppressWarnings("unchecked")
    ClientState(Trial t, int n) {
        slots = new long[(n + 1) * LINE + LINE];
        free = new ArrayDeque[n];
        recorders = new LoadRecorder[n];
        replyPorts = new Port[n];
        List<Pacer> ps = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            free[c] = new ArrayDeque<>();
            recorders[c] = t.recorder("client" + c);
            if (t.openLoop()) {
                ps.add(t.pacer(c, n));
            }
        }
        pacers = List.copyOf(ps);
    }

    private int at(int c, int field) {
        return (c + 1) * LINE + field;
    }

    /** A new operation of client {@code c} is in flight. */
    void issued(int c) {
        slots[at(c, IN_FLIGHT)]++;
    }

    /** A message for a new operation of client {@code c} (from its pool), counted in flight. */
    Message take(int c) {
        issued(c);
        Message m = free[c].pollFirst();
        return m != null ? m : new Message(replyPorts[c]);
    }

    /** Sends {@code m} again for the next operation (closed loop), counted in flight. */
    Message resend(int c, Message m) {
        issued(c);
        return m;
    }

    /** An operation of client {@code c} that started at {@code startNanos} completed at {@code now}. */
    void done(int c, long startNanos, long now) {
        recorders[c].record(now - startNanos);
        slots[at(c, COMPLETED)]++;
        slots[at(c, IN_FLIGHT)]--;
    }

    /** Returns a completed operation's message to client {@code c}'s pool. */
    void recycle(int c, Message m) {
        free[c].addFirst(m);
    }

    void stop(int c) {
        slots[at(c, STOPPING)] = 1;
    }

    boolean stopping(int c) {
        return slots[at(c, STOPPING)] != 0;
    }

    long inFlight(int c) {
        return slots[at(c, IN_FLIGHT)];
    }

    /** Operations completed over all clients. After every client drained only. */
    long totalCompleted() {
        long sum = 0;
        for (int c = 0; c < free.length; c++) {
            sum += slots[at(c, COMPLETED)];
        }
        return sum;
    }
}
