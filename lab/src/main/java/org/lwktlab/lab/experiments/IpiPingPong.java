package org.lwktlab.lab.experiments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.lwktlab.ipi.IpiFabric;
import org.lwktlab.ipi.IpiFunction;
import org.lwktlab.lab.experiment.Check;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.experiment.LoadRecorder;
import org.lwktlab.lab.experiment.Trial;
import org.lwktlab.lab.experiment.Workload;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.NullPort;

/**
 * Round trips between pairs of CPUs (2i, 2i+1): the cost of a hand-off and its answer, the floor
 * under every message design. {@code ipi} sends a bare IPI function each way; {@code message} sends an
 * LWKT message to a thread on the other CPU and handles the reply on the originator's port, so the
 * difference is what ports, messages and the scheduler add.
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
    public List<String> deterministicDesigns() {
        return designs();
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

    /** Shared stop/verify/shutdown of both designs. */
    private abstract static class Pairs implements Workload {
        final Kernel kernel;
        final int pairs;
        volatile boolean stop;
        final AtomicInteger stopped = new AtomicInteger();

        Pairs(Kernel kernel) {
            this.kernel = kernel;
            this.pairs = kernel.ncpus() / 2;
        }

        @Override
        public void stop() {
            stop = true;
            Waits.until("every ping-pong pair to stop", Duration.ofSeconds(30), () -> stopped.get() == pairs);
        }

        @Override
        public List<Check> shutdown() {
            return Check.fromShutdown(kernel.shutdown());
        }
    }

    // ------------------------------------------------------------------ design "ipi"

    private static final class IpiPairs extends Pairs {
        final Pair[] state;

        static final class Pair {
            final IpiPairs owner;
            final int pinger;
            final int ponger;
            final LoadRecorder rec;
            long sentAt;

            Pair(IpiPairs owner, int pinger, int ponger, LoadRecorder rec) {
                this.owner = owner;
                this.pinger = pinger;
                this.ponger = ponger;
                this.rec = rec;
            }
        }

        static final IpiFunction PING = (cpu, a, v) -> {
            Pair p = (Pair) a;
            p.owner.kernel.fabric().send(p.ponger, p.pinger, IpiPairs.PONG, p, 0);
        };

        static final IpiFunction PONG = (cpu, a, v) -> {
            Pair p = (Pair) a;
            long now = Lwkt.nanoTime();
            p.rec.record(now - p.sentAt);
            if (p.owner.stop) {
                p.owner.stopped.incrementAndGet();
                return;
            }
            p.sentAt = now;
            p.owner.kernel.fabric().send(p.pinger, p.ponger, IpiPairs.PING, p, 0);
        };

        IpiPairs(Kernel k, Trial t) {
            super(k);
            state = new Pair[pairs];
            for (int i = 0; i < pairs; i++) {
                state[i] = new Pair(this, 2 * i, 2 * i + 1, t.recorder("pair" + i));
            }
        }

        @Override
        public void start() {
            IpiFabric f = kernel.fabric();
            for (Pair p : state) {
                f.submit(p.pinger, cpu -> {
                    p.sentAt = Lwkt.nanoTime();
                    f.send(p.pinger, p.ponger, PING, p, 0);
                });
            }
        }
    }

    // ------------------------------------------------------------------ design "message"

    private static final class MessagePairs extends Pairs {
        final LwktThread[] pingers;
        final List<Message> pings = new ArrayList<>();

        MessagePairs(Kernel k, Trial t) {
            super(k);
            pingers = new LwktThread[pairs];
            for (int i = 0; i < pairs; i++) {
                LwktThread ponger = k.spawn(2 * i + 1, "ponger" + i, m -> Lwkt.replymsg(m, Errno.OK));
                LoadRecorder rec = t.recorder("pair" + i);
                Message ping = new Message();
                pings.add(ping);
                pingers[i] = k.spawn(2 * i, "pinger" + i, m -> {
                    long now = Lwkt.nanoTime();
                    if (m == ping) {
                        rec.record(now - m.arg());
                        if (stop) {
                            stopped.incrementAndGet();
                            return;
                        }
                    } else {
                        Lwkt.replymsg(m, Errno.OK); // the kick-off
                    }
                    Lwkt.sendmsg(ponger.port(), ping.arg(now));
                });
                ping.init(pingers[i].port());
            }
        }

        @Override
        public void start() {
            for (LwktThread p : pingers) {
                Lwkt.sendmsg(p.port(), new Message(NullPort.get()));
            }
        }
    }
}
