package org.lwktlab.lab.experiments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.lwktlab.lab.experiment.Arrivals;
import org.lwktlab.lab.experiment.Check;
import org.lwktlab.lab.experiment.Pacer;
import org.lwktlab.lab.experiment.Trial;
import org.lwktlab.lab.experiment.Workload;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.NullPort;

/**
 * A workload whose load generators are client LWKT threads inside the kernel, driven by control
 * messages from the runner's side:
 * <ul>
 *   <li>{@code START} (closed loop) — put {@code window} operations in flight; each completion sends
 *       the next;</li>
 *   <li>{@code KICK} (open loop, from {@link Arrivals}) — issue every operation now due, each stamped
 *       with its intended start;</li>
 *   <li>{@code STOP} — issue no more; the client counts as drained once nothing is in flight.</li>
 * </ul>
 * A design subclasses it, spawns the clients (their handlers call {@link #control} for requests and
 * {@link #completed} for finished operations) and says how one operation is issued.
 *
 * <p><b>Threads.</b> {@link #control}, {@link #completed} and {@link #issue} run on the client's CPU;
 * {@link #start}, {@link #stop} and {@link #shutdown} on the runner thread.
 */
abstract class KernelClients implements Workload {
    static final Object START = "start";
    static final Object KICK = "kick";
    static final Object STOP = "stop";

    final Trial trial;
    final Kernel kernel;
    final int window;
    final boolean open;
    /** The client threads, filled in by the design's constructor. */
    final LwktThread[] clients;
    final ClientState state;
    private final AtomicInteger drained = new AtomicInteger();
    private Arrivals arrivals;

    /**
     * @param kernel  the booted kernel (shut down by {@link #shutdown})
     * @param nclients how many clients the design spawns
     * @param window  operations each client keeps in flight in closed loop
     */
    KernelClients(Trial t, Kernel kernel, int nclients, int window) {
        this.trial = t;
        this.kernel = kernel;
        this.window = window;
        this.open = t.openLoop();
        this.clients = new LwktThread[nclients];
        this.state = new ClientState(t, nclients);
    }

    /** Issues one operation of client {@code c}, stamped with {@code startNanos}. On client c's CPU. */
    abstract void issue(int c, Message m, long startNanos);

    /** Handles a control message at client {@code c}; false if {@code m} is not one. */
    final boolean control(int c, Message m) {
        Object cmd = m.payload();
        if (cmd != START && cmd != KICK && cmd != STOP) {
            return false;
        }
        Lwkt.replymsg(m, Errno.OK); // before taking the kick: the arrivals thread may reuse it at once
        if (cmd == START) {
            for (int i = 0; i < window; i++) {
                issue(c, state.take(c), System.nanoTime());
            }
        } else if (cmd == KICK) {
            Pacer p = state.pacers.get(c);
            p.kickTaken();
            long now = System.nanoTime();
            while (!state.stopping(c) && p.due(now)) {
                issue(c, state.take(c), p.next());
            }
        } else {
            state.stop(c);
            if (state.inFlight(c) == 0) {
                drained.incrementAndGet();
            }
        }
        return true;
    }

    /**
     * An operation of client {@code c} completed at {@code now} ({@code m.arg()} holds its start): record
     * it, then in closed loop issue the next with the same message; in open loop (or stopping) put the
     * message back in the client's pool.
     */
    final void completed(int c, Message m, long now) {
        state.done(c, m.arg(), now);
        if (state.stopping(c) || open) {
            state.recycle(c, m);
            if (state.stopping(c) && state.inFlight(c) == 0) {
                drained.incrementAndGet();
            }
            return;
        }
        issue(c, state.resend(c, m), now);
    }

    @Override
    public void start() {
        if (open) {
            List<Arrivals.Kick> kicks = new ArrayList<>();
            for (LwktThread td : clients) {
                Message kick = new Message(NullPort.get()).payload(KICK);
                kicks.add(() -> Lwkt.sendmsg(td.port(), kick));
            }
            arrivals = trial.arrivals(state.pacers, kicks);
        } else {
            for (LwktThread td : clients) {
                Lwkt.sendmsg(td.port(), new Message(NullPort.get()).payload(START));
            }
        }
    }

    @Override
    public void stop() throws InterruptedException {
        if (arrivals != null) {
            arrivals.close();
        }
        for (LwktThread td : clients) {
            Lwkt.sendmsg(td.port(), new Message(NullPort.get()).payload(STOP));
        }
        Waits.until("clients to drain their operations in flight", Duration.ofSeconds(30),
                () -> drained.get() == clients.length);
    }

    @Override
    public List<Check> shutdown() {
        return Check.fromShutdown(kernel.shutdown());
    }
}
