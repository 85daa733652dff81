package org.lwktlab.lab.experiments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.lwktlab.ipi.IpiFabric;
import org.lwktlab.ipi.IpiFunction;
import org.lwktlab.ipi.SubmittedIpi;
import org.lwktlab.lab.experiment.Arrivals;
import org.lwktlab.lab.experiment.Check;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.experiment.Pacer;
import org.lwktlab.lab.experiment.Trial;
import org.lwktlab.lab.experiment.Workload;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;

/**
 * Round trips between pairs of CPUs (2i, 2i+1): the cost of a hand-off and its answer, the floor
 * under every message design. {@code ipi} sends a bare IPI function each way; {@code message} sends an
 * LWKT message to a thread on the other CPU and handles the reply on the originator's port, so the
 * difference is what ports, messages and the scheduler add.
 *
 * <p>Closed loop by default (one round trip in flight per pair). With {@code --rate} each pair offers
 * {@code rate / pairs} round trips per second on a fixed schedule, kicked by {@link Arrivals}, and the
 * latency of each counts from its intended start.
 */
public final class IpiPingPong implements Experiment {
    @Override
    public String name() {
        return "ipi-pingpong";
    }

    @Override
    public String question() {
        return "How long is a round trip between two CPUs: a bare IPI, or an LWKT message and its reply?";
    }

    @Override
    public List<String> designs() {
        return List.of("message", "ipi");
    }

    @Override
    public int minCpus() {
        return 2;
    }

    @Override
    public boolean supportsOpenLoop() {
        return true;
    }

    @Override
    public Workload prepare(Trial trial) {
        Kernel k = Kernel.boot(trial.kernel().build());
        try {
            return trial.design().equals("ipi") ? new IpiPairs(k, trial) : new MessagePairs(k, trial);
        } catch (RuntimeException e) {
            k.shutdown();
            throw e;
        }
    }

    // ------------------------------------------------------------------ design "ipi"

    /**
     * Bare IPIs: the pinger (in IPI context on CPU 2i) sends {@code PING} carrying the round trip's start
     * stamp; the ponger answers {@code PONG} with the same stamp. Closed loop: one ping in flight per pair,
     * the next sent when the pong lands. Open loop: {@link Arrivals} submits a kick to the pinger, which
     * sends every ping now due.
     */
    private static final class IpiPairs implements Workload {
        final Kernel kernel;
        final IpiFabric fabric;
        final Trial trial;
        final int pairs;
        final ClientState state;
        final boolean open;
        final AtomicInteger stopped = new AtomicInteger();
        volatile boolean stop;
        final Pair[] pair;
        Arrivals arrivals;

        /** Pair {@code i}: pinger on CPU 2i, ponger on CPU 2i+1, client {@code i} of {@link #state}. */
        record Pair(IpiPairs owner, int index, int pinger, int ponger) {}

        static final IpiFunction PING = (cpu, a, start) -> {
            Pair p = (Pair) a;
            p.owner.fabric.send(p.ponger, p.pinger, IpiPairs.PONG, p, start);
        };

        static final IpiFunction PONG = (cpu, a, start) -> {
            Pair p = (Pair) a;
            IpiPairs w = p.owner;
            long now = System.nanoTime();
            w.state.done(p.index, start, now);
            if (w.open) {
                if (w.state.stopping(p.index) && w.state.inFlight(p.index) == 0) {
                    w.stopped.incrementAndGet();
                }
                return;
            }
            if (w.stop) {
                w.stopped.incrementAndGet();
                return;
            }
            w.ping(p, now);
        };

        IpiPairs(Kernel k, Trial t) {
            kernel = k;
            fabric = k.fabric();
            trial = t;
            pairs = k.ncpus() / 2;
            state = new ClientState(t, pairs);
            open = t.openLoop();
            pair = new Pair[pairs];
            for (int i = 0; i < pairs; i++) {
                pair[i] = new Pair(this, i, 2 * i, 2 * i + 1);
            }
        }

        /** Sends one ping of pair {@code p} stamped {@code start}. On the pinger's CPU. */
        void ping(Pair p, long start) {
            state.issued(p.index);
            fabric.send(p.pinger, p.ponger, PING, p, start);
        }

        /** Open loop: the pinger took a kick; send every ping now due. On the pinger's CPU. */
        void kicked(Pair p) {
            Pacer pacer = state.pacers.get(p.index);
            pacer.kickTaken();
            long now = System.nanoTime();
            while (!state.stopping(p.index) && pacer.due(now)) {
                ping(p, pacer.next());
            }
        }

        @Override
        public void start() {
            if (open) {
                List<Arrivals.Kick> kicks = new ArrayList<>();
                for (Pair p : pair) {
                    SubmittedIpi kick = cpu -> kicked(p);
                    kicks.add(() -> fabric.submit(p.pinger, kick));
                }
                arrivals = trial.arrivals(state.pacers, kicks);
            } else {
                for (Pair p : pair) {
                    fabric.submit(p.pinger, cpu -> ping(p, System.nanoTime()));
                }
            }
        }

        @Override
        public void stop() throws InterruptedException {
            if (open) {
                arrivals.close();
                for (Pair p : pair) {
                    fabric.submit(p.pinger, cpu -> {
                        state.stop(p.index);
                        if (state.inFlight(p.index) == 0) {
                            stopped.incrementAndGet();
                        }
                    });
                }
            } else {
                stop = true;
            }
            Waits.until("every ping-pong pair to stop", Duration.ofSeconds(30), () -> stopped.get() == pairs);
        }

        @Override
        public List<Check> shutdown() {
            return Check.fromShutdown(kernel.shutdown());
        }
    }

    // ------------------------------------------------------------------ design "message"

    /**
     * LWKT messages: pinger thread {@code i} on CPU 2i sends a message (stamped with its start) to the
     * ponger thread on CPU 2i+1, which replies it; the reply lands back on the pinger's port.
     */
    private static final class MessagePairs extends KernelClients {
        private final List<LwktThread> pongers = new ArrayList<>();

        MessagePairs(Kernel k, Trial t) {
            super(t, k, k.ncpus() / 2, 1);
            for (int i = 0; i < clients.length; i++) {
                final int me = i;
                LwktThread ponger = k.spawn(2 * i + 1, "ponger" + i, m -> Lwkt.replymsg(m, Errno.OK));
                pongers.add(ponger);
                clients[i] = k.spawn(2 * i, "pinger" + i, m -> {
                    if (m.isReply()) {
                        completed(me, m, System.nanoTime());
                    } else if (!control(me, m)) {
                        throw new IllegalStateException("pinger" + me + " got an unexpected message " + m);
                    }
                });
                state.replyPorts[i] = clients[i].port();
            }
        }

        @Override
        void issue(int c, Message m, long startNanos) {
            Lwkt.sendmsg(pongers.get(c).port(), m.arg(startNanos));
        }
    }
}
