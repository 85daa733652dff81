package org.lwktlab.bench.mutex;

import org.lwktlab.bench.support.KernelHarness;
import org.lwktlab.bench.support.KernelWorkload;
import org.lwktlab.ipi.IdleStrategy;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.Port;

/**
 * Shared update by delegation: the lines belong to a server thread on CPU 0, and a client on every CPU
 * sends it updates as messages, {@code window} in flight each, resending each one as its reply comes
 * back — the {@code message} design of the {@code shared-update} experiment, driven in rounds.
 *
 * <p>A round ({@link #run}) applies exactly {@code n} updates: the server takes the kick, starts every
 * client, applies updates while its budget lasts and answers the rest "stop"; a client stops when all
 * its messages came back stopped and replies its start message; the last one back completes the kick.
 * So the work per round is fixed however unevenly the CPUs progress, and nothing is in flight between
 * rounds.
 *
 * <p><b>Invariants:</b> the lines and the round's budget are touched only on CPU 0, a client's state
 * only on its CPU; every message is allocated at set-up and reused, so a round allocates nothing;
 * {@link #close} checks that every update given was applied exactly once to every line.
 */
public final class Delegation implements KernelWorkload {
    /** An update request; its reply says whether it was applied (result 0) or the round is over (1). */
    static final class Update extends Message {
        Update(Port replyPort) {
            super(replyPort);
        }
    }

    /** One client's state, written only on its CPU; padded so two clients never share a line. */
    static final class Client {
        long p00, p01, p02, p03, p04, p05, p06, p07;
        LwktThread thread;
        /** Its updates, made once and reused every round. */
        Update[] updates;
        Message start;
        int inFlight;
        long q00, q01, q02, q03, q04, q05, q06, q07;
    }

    private final KernelHarness harness;
    private final SharedLines lines;
    private final int window;
    private final LwktThread server;
    private final Client[] clients;
    private final Message[] starts;
    // CPU 0 only.
    private long budget;
    private int active;
    private Message held;
    // The JMH thread only.
    private long given;

    /**
     * @param lines  cache lines per update
     * @param window updates each client keeps in flight, at least 1
     * @param probes kernel probes on or off
     */
    public Delegation(int lines, int window, boolean probes) {
        this(lines, window, probes, IdleStrategy.defaultStrategy());
    }

    /**
     * As {@link #Delegation(int, int, boolean)}, with the CPUs idling by {@code idle}.
     *
     * @param idle the kernel's idle strategy
     */
    public Delegation(int lines, int window, boolean probes, IdleStrategy idle) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1, got " + window);
        }
        this.window = window;
        this.lines = new SharedLines(lines);
        int cpus = Runtime.getRuntime().availableProcessors();
        this.harness = new KernelHarness("shared-update-message", cpus, probes, idle);
        this.server = LwktThread.builder("server").priority(LwktThread.PRI_SOFT).handler(this::serve)
                .spawn(harness.kernel(), 0);
        this.clients = new Client[cpus];
        this.starts = new Message[cpus];
        for (int c = 0; c < cpus; c++) {
            final Client cl = new Client();
            clients[c] = cl;
            cl.thread = LwktThread.builder("client" + c).handler(m -> client(cl, m)).spawn(harness.kernel(), c);
            starts[c] = new Message(server.port());
            cl.updates = new Update[window];
            for (int i = 0; i < window; i++) {
                cl.updates[i] = new Update(cl.thread.port()); // replies come back to the client
            }
        }
    }

    private void serve(Message m) {
        if (m instanceof Update u) {
            if (budget > 0) {
                lines.update();
                budget--;
                u.result(0);
            } else {
                u.result(1);
            }
            Lwkt.replymsg(u, Errno.OK);
        } else if (m.isReply()) { // a client's start message: that client has stopped
            if (--active == 0) {
                Lwkt.replymsg(held, Errno.OK);
            }
        } else { // the kick
            if (m.arg() < 1) {
                throw new IllegalArgumentException("a round needs at least 1 update, got " + m.arg());
            }
            held = m;
            budget = m.arg();
            active = clients.length;
            for (int c = 0; c < clients.length; c++) {
                Lwkt.sendmsg(clients[c].thread.port(), starts[c]);
            }
        }
    }

    private void client(Client cl, Message m) {
        if (m instanceof Update u) { // a reply from the server
            if (u.result() == 0) {
                Lwkt.sendmsg(server.port(), u);
            } else if (--cl.inFlight == 0) {
                Lwkt.replymsg(cl.start, Errno.OK);
            }
            return;
        }
        cl.start = m;
        cl.inFlight = window;
        for (Update u : cl.updates) {
            Lwkt.sendmsg(server.port(), u);
        }
    }

    /** The kernel the updates run on. */
    @Override
    public Kernel kernel() {
        return harness.kernel();
    }

    /** Applies exactly {@code n} updates and returns when every client has stopped. */
    @Override
    public void run(long n) {
        given += n;
        harness.run(server, n);
    }

    /**
     * Shuts the kernel down, then checks the lines.
     *
     * @throws IllegalStateException if an update was lost or applied twice
     */
    @Override
    public void close() {
        harness.close();
        lines.check();
        if (lines.updates() != given) {
            throw new IllegalStateException(lines.updates() + " updates applied, " + given + " given");
        }
    }
}
