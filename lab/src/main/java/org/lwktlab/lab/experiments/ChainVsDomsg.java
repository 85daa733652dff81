package org.lwktlab.lab.experiments;

import static org.lwktlab.lab.experiments.Padded.LINE;
import static org.lwktlab.lab.experiments.Padded.sum;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.lwktlab.lab.experiment.Check;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.experiment.LoadRecorder;
import org.lwktlab.lab.experiment.Param;
import org.lwktlab.lab.experiment.Trial;
import org.lwktlab.lab.experiment.Workload;
import org.lwktlab.lwkt.CompletionRing;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.MsgChain;
import org.lwktlab.lwkt.NullPort;
import org.lwktlab.lwkt.WaitPort;

/**
 * What a syslet-style chain saves: each operation is {@code steps} messages to stage threads spread
 * over the CPUs (stage {@code i} on CPU {@code i mod N}), each step to run only if the one before
 * succeeded — the shape of a lookup-then-read, or a route-then-send.
 * <ul>
 *   <li>{@code domsg} — a client thread outside the kernel (one per CPU) does one {@code domsg} per
 *       step: {@code steps} kernel entries, {@code steps} sleeps and wake-ups of the client per
 *       operation.</li>
 *   <li>{@code chain} — the same clients submit one {@link MsgChain} per operation and take its one
 *       completion from a {@link CompletionRing}: one entry, one wake-up; the steps hop CPU to CPU.</li>
 *   <li>{@code kernel-steps} — a client LWKT thread on each CPU sends each step and continues in its
 *       reply: a round trip (two IPIs when the stage is remote) per step.</li>
 *   <li>{@code kernel-chain} — the same clients send a chain and continue in its completion.</li>
 * </ul>
 * Every {@code fail-every}-th operation fails at its middle step, to check that a chain stops at its
 * first error exactly as a careful client of {@code domsg} would.
 */
public final class ChainVsDomsg implements Experiment {

    @Override
    public String name() {
        return "chain-vs-domsg";
    }

    @Override
    public String question() {
        return "How many round trips and wake-ups does submitting a chain of messages at once save over one domsg per step?";
    }

    @Override
    public List<String> designs() {
        return List.of("domsg", "chain", "kernel-steps", "kernel-chain");
    }

    @Override
    public List<String> deterministicDesigns() {
        return List.of("kernel-steps", "kernel-chain");
    }

    @Override
    public List<Param> params() {
        return List.of(
                new Param("steps", "4", "messages per operation (chain length), 1.." + MsgChain.MAX_CAPACITY),
                new Param("fail-every", "0", "every n-th operation fails at its middle step (0 = none)"),
                new Param("window", "1", "operations each in-kernel client keeps in flight"));
    }

    @Override
    public Workload prepare(Trial trial) {
        int steps = trial.intParam("steps", 1);
        if (steps > MsgChain.MAX_CAPACITY) {
            throw new IllegalArgumentException("--set steps=" + steps + ": must be <= " + MsgChain.MAX_CAPACITY);
        }
        int failEvery = trial.intParam("fail-every", 0);
        int window = trial.intParam("window", 1);
        return switch (trial.design()) {
            case "domsg", "chain" -> new OutsideClients(trial, steps, failEvery, trial.design().equals("chain"));
            case "kernel-steps", "kernel-chain" -> new KernelClients(trial, steps, failEvery, window,
                    trial.design().equals("kernel-chain"));
            default -> throw new IllegalArgumentException("chain-vs-domsg has no design '" + trial.design() + "'");
        };
    }

    /** One operation in flight: its progress (written by each stage in turn) and its messages. */
    static final class Op {
        final Message[] msgs;
        MsgChain chain;
        int next;
        int failAt;
        int cur;
        long startedAt;
        long seq;

        Op(int steps) {
            msgs = new Message[steps];
        }
    }

    /** The stages, and what every design checks. */
    private abstract static class Base implements Workload {
        final Kernel kernel;
        final int steps;
        final int failEvery;
        final LwktThread[] stages;
        /** Per stage (padded): steps it ran, and steps it saw out of order. */
        final long[] ran;
        final long[] disorder;
        /** Per client (padded): operations completed, round trips paid, steps expected, bad stops. */
        final long[] completed;
        final long[] roundTrips;
        final long[] expectedSteps;
        final long[] badStops;
        volatile boolean stop;

        Base(Trial t, int steps, int failEvery, int clients) {
            this.kernel = Kernel.boot(t.kernel().build());
            this.steps = steps;
            this.failEvery = failEvery;
            this.stages = new LwktThread[steps];
            this.ran = Padded.counters(steps);
            this.disorder = Padded.counters(steps);
            this.completed = Padded.counters(clients);
            this.roundTrips = Padded.counters(clients);
            this.expectedSteps = Padded.counters(clients);
            this.badStops = Padded.counters(clients);
            for (int i = 0; i < steps; i++) {
                final int me = i;
                stages[i] = kernel.spawn(i % kernel.ncpus(), "stage" + i, m -> {
                    Op op = (Op) m.payload();
                    if (op.next != me) {
                        disorder[me * LINE]++;
                    }
                    op.next = me + 1;
                    ran[me * LINE]++;
                    Lwkt.replymsg(m, me == op.failAt ? Errno.EINVAL : Errno.OK);
                });
            }
        }

        /** Prepares {@code op} as operation number {@code seq} of its client. */
        void arm(Op op, long seq) {
            op.seq = seq;
            op.next = 0;
            op.cur = 0;
            op.failAt = failEvery > 0 && seq % failEvery == failEvery - 1 ? steps / 2 : -1;
        }

        /** Books a finished operation of client {@code c} that ended with {@code error}. */
        void finished(int c, Op op, int error, LoadRecorder rec, long now) {
            int want = op.failAt >= 0 ? op.failAt + 1 : steps;
            boolean right = op.next == want && (op.failAt >= 0 ? error == Errno.EINVAL : error == Errno.OK);
            if (!right) {
                badStops[c * LINE]++;
            }
            expectedSteps[c * LINE] += want;
            completed[c * LINE]++;
            rec.record(now - op.startedAt);
        }

        @Override
        public List<Check> verify() {
            List<Check> c = new ArrayList<>();
            c.add(Check.equal("every step of every operation ran once (stopping after a failed one)",
                    sum(expectedSteps), sum(ran)));
            c.add(Check.equal("every stage saw its operation's previous step done", 0, sum(disorder)));
            c.add(Check.equal("every operation stopped exactly at its first failing step, with its error", 0,
                    sum(badStops)));
            return c;
        }

        @Override
        public Map<String, Double> metrics(long ops) {
            Map<String, Double> m = new LinkedHashMap<>();
            long done = sum(completed);
            if (done > 0) {
                m.put("round_trips_per_op", (double) sum(roundTrips) / done);
                m.put("steps_per_op", (double) sum(ran) / done);
            }
            return m;
        }

        @Override
        public List<Check> shutdown() {
            return Check.fromShutdown(kernel.shutdown());
        }
    }

    // ------------------------------------------------------------------ domsg, chain: clients outside the kernel

    private static final class OutsideClients extends Base {
        private final Thread[] threads;
        private final CountDownLatch go = new CountDownLatch(1);
        private final List<Throwable> failures = new CopyOnWriteArrayList<>();

        OutsideClients(Trial t, int steps, int failEvery, boolean chained) {
            super(t, steps, failEvery, t.cpus());
            threads = new Thread[t.cpus()];
            for (int c = 0; c < threads.length; c++) {
                final int me = c;
                final LoadRecorder rec = t.recorder("client" + c);
                final Op op = new Op(steps);
                final CompletionRing ring = new CompletionRing("client" + c + "-completions");
                for (int i = 0; i < steps; i++) {
                    op.msgs[i] = new Message(WaitPort.get()).payload(op);
                }
                if (chained) {
                    op.chain = new MsgChain(steps, ring);
                    for (int i = 0; i < steps; i++) {
                        op.chain.add(stages[i].port(), new Message().payload(op));
                    }
                }
                threads[c] = new Thread(() -> {
                    try {
                        go.await();
                        for (long seq = 0; !stop; seq++) {
                            arm(op, seq);
                            op.startedAt = System.nanoTime();
                            int err = chained ? viaChain(op, ring, me) : viaDomsg(op, me);
                            finished(me, op, err, rec, System.nanoTime());
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "chain-vs-domsg-client" + c);
                threads[c].setDaemon(true);
                threads[c].start();
            }
        }

        private int viaDomsg(Op op, int me) {
            for (int i = 0; i < steps; i++) {
                roundTrips[me * LINE]++;
                int err = Lwkt.domsg(stages[i].port(), op.msgs[i]);
                if (err != Errno.OK) {
                    return err;
                }
            }
            return Errno.OK;
        }

        private int viaChain(Op op, CompletionRing ring, int me) throws InterruptedException {
            roundTrips[me * LINE]++;
            Lwkt.sendchain(op.chain);
            Message done = ring.take();
            if (done != op.chain) {
                throw new IllegalStateException("client " + me + " took " + done + " from its ring, not its own chain");
            }
            return done.error();
        }

        @Override
        public void start() {
            go.countDown();
        }

        @Override
        public void stop() throws InterruptedException {
            stop = true;
            Waits.joinAll(threads, Duration.ofSeconds(30));
        }

        @Override
        public List<Check> verify() {
            List<Check> c = new ArrayList<>(super.verify());
            c.add(new Check("no client thread failed", failures.isEmpty(),
                    failures.isEmpty() ? "none" : String.valueOf(failures.getFirst())));
            return c;
        }
    }

    // ------------------------------------------------------------------ kernel-steps, kernel-chain: LWKT clients

    private static final class KernelClients extends Base {
        private final LwktThread[] clients;
        private final AtomicInteger drained = new AtomicInteger();

        KernelClients(Trial t, int steps, int failEvery, int window, boolean chained) {
            super(t, steps, failEvery, t.cpus());
            int n = kernel.ncpus();
            clients = new LwktThread[n];
            for (int c = 0; c < n; c++) {
                final int me = c;
                final LoadRecorder rec = t.recorder("client" + c);
                final int[] inFlight = new int[1];
                final long[] seq = new long[1];
                final List<Op> ops = new ArrayList<>();
                clients[c] = LwktThread.builder("client" + c).handler(m -> {
                    if (!m.isReply()) { // the kick-off: put `window` operations in flight
                        for (Op op : ops) {
                            inFlight[0]++;
                            begin(op, seq[0]++, me, chained);
                        }
                        Lwkt.replymsg(m, Errno.OK);
                        return;
                    }
                    Op op = (Op) m.payload();
                    int err = m.error();
                    if (!chained && err == Errno.OK && op.cur + 1 < steps) { // the next step, one round trip each
                        op.cur++;
                        roundTrips[me * LINE]++;
                        Lwkt.sendmsg(stages[op.cur].port(), op.msgs[op.cur]);
                        return;
                    }
                    finished(me, op, err, rec, Lwkt.nanoTime());
                    if (stop) {
                        if (--inFlight[0] == 0) {
                            drained.incrementAndGet();
                        }
                        return;
                    }
                    begin(op, seq[0]++, me, chained);
                }).spawn(kernel, c);
                for (int w = 0; w < window; w++) {
                    Op op = new Op(steps);
                    for (int i = 0; i < steps; i++) {
                        op.msgs[i] = new Message(clients[c].port()).payload(op);
                    }
                    if (chained) {
                        op.chain = new MsgChain(steps, clients[c].port());
                        op.chain.payload(op);
                        for (int i = 0; i < steps; i++) {
                            op.chain.add(stages[i].port(), new Message().payload(op));
                        }
                    }
                    ops.add(op);
                }
            }
        }

        private void begin(Op op, long seq, int me, boolean chained) {
            arm(op, seq);
            op.startedAt = Lwkt.nanoTime();
            roundTrips[me * LINE]++;
            if (chained) {
                Lwkt.sendchain(op.chain);
            } else {
                Lwkt.sendmsg(stages[0].port(), op.msgs[0]);
            }
        }

        @Override
        public void start() {
            for (LwktThread c : clients) {
                Lwkt.sendmsg(c.port(), new Message(NullPort.get()));
            }
        }

        @Override
        public void stop() {
            stop = true;
            Waits.until("clients to finish their operations in flight", Duration.ofSeconds(30),
                    () -> drained.get() == clients.length);
        }
    }
}
