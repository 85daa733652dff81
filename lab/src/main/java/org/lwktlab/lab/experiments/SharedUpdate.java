package org.lwktlab.lab.experiments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.lwktlab.lab.experiment.Arrivals;
import org.lwktlab.lab.experiment.Check;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.experiment.LoadRecorder;
import org.lwktlab.lab.experiment.Pacer;
import org.lwktlab.lab.experiment.Param;
import org.lwktlab.lab.experiment.Trial;
import org.lwktlab.lab.experiment.Workload;
import org.lwktlab.lwkt.Affinity;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.NullPort;
import org.lwktlab.lwkt.Token;
import org.lwktlab.lwkt.lock.LockKind;
import org.lwktlab.lwkt.lock.ProbedLock;
import org.lwktlab.lwkt.lock.Section;
import org.lwktlab.metrics.probe.Labels;

/**
 * The classic message-versus-lock test (Barrelfish, SOSP'09 §4; RCL, ATC'12; ffwd, SOSP'17): N CPUs each
 * update K cache lines of shared state.
 * <ul>
 *   <li>{@code message} — the lines belong to a server thread on CPU 0; every CPU's client sends the
 *       update to it as a message and waits (closed loop, {@code window} messages in flight), so the
 *       lines never leave CPU 0's cache and clients pay a round trip instead.</li>
 *   <li>{@code token} — every CPU updates the lines itself under an LWKT token.</li>
 *   <li>{@code mutex} — N threads update the lines under a lock from the portfolio ({@code lock}); the
 *       lines bounce between cores.</li>
 * </ul>
 * With few lines and no contention the lock should win (a round trip costs more than a few cache
 * misses); as lines and CPUs grow the message design should catch up and pass it.
 *
 * <p>Closed loop by default (each client waits for its update before the next). With {@code --rate}
 * each CPU's generator offers {@code rate / cpus} updates per second on a fixed schedule
 * ({@link Pacer}): the mutex threads wait for each intended start themselves; the in-kernel clients are
 * kicked by {@link Arrivals}. Latency always counts from the intended start.
 */
public final class SharedUpdate implements Experiment {
    /** Longs per cache line. */
    static final int LINE = 8;

    @Override
    public String name() {
        return "shared-update";
    }

    @Override
    public String question() {
        return "Is it faster to update shared cache lines under a lock, or to send the update to the CPU that owns them?";
    }

    @Override
    public List<String> designs() {
        return List.of("message", "mutex", "token");
    }

    @Override
    public List<String> defaultDesigns() {
        return List.of("message", "mutex");
    }

    @Override
    public boolean supportsOpenLoop() {
        return true;
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.integer("lines", 4, 1, "cache lines each update touches (K)"),
                Param.integer("window", 1, 1, "updates each message/token client keeps in flight (closed loop)"),
                Param.choice("lock", "reentrant", LockKind.ids(), "mutex design's lock"));
    }

    @Override
    public Workload prepare(Trial trial) {
        int lines = trial.intParam("lines", 1);
        int window = trial.intParam("window", 1);
        LockKind lock = LockKind.parse(trial.param("lock"));
        return switch (trial.design()) {
            case "message" -> new MessageDesign(trial, lines, window);
            case "token" -> new TokenDesign(trial, lines, window);
            case "mutex" -> new MutexDesign(trial, lines, lock);
            default -> throw new IllegalArgumentException("shared-update has no design '" + trial.design() + "'");
        };
    }

    /** The shared lines: {@code lines} counters, each on its own cache line. */
    static final class Lines {
        final long[] data;
        final int lines;
        long updates;

        Lines(int lines) {
            this.lines = lines;
            this.data = new long[(lines + 2) * LINE];
        }

        void update() {
            for (int i = 1; i <= lines; i++) {
                data[i * LINE]++;
            }
            updates++;
        }

        List<Check> verify(long completedByClients) {
            List<Check> c = new ArrayList<>();
            c.add(Check.equal("every update the clients saw completed was applied once", completedByClients, updates));
            boolean same = true;
            for (int i = 1; i <= lines; i++) {
                same &= data[i * LINE] == updates;
            }
            c.add(new Check("every line holds the same count (no lost update)", same, "updates " + updates));
            return c;
        }
    }

    // ------------------------------------------------------------------ message and token: in-kernel clients

    /**
     * The message design: the lines belong to a server thread on CPU 0; each client sends it the update
     * and handles the reply.
     */
    private static final class MessageDesign extends KernelClients {
        private final Lines lines;
        private final LwktThread server;

        MessageDesign(Trial t, int nlines, int window) {
            super(t, Kernel.boot(t.kernel().build()), t.cpus(), window);
            lines = new Lines(nlines);
            server = LwktThread.builder("shared-update-server").priority(LwktThread.PRI_SOFT)
                    .handler(m -> {
                        lines.update();
                        Lwkt.replymsg(m, Errno.OK);
                    }).spawn(kernel, 0);
            for (int c = 0; c < clients.length; c++) {
                final int me = c;
                clients[c] = LwktThread.builder("client" + c).handler(m -> {
                    if (m.isReply()) { // an update coming back from the server
                        completed(me, m, System.nanoTime());
                    } else if (!control(me, m)) {
                        throw new IllegalStateException("client" + me + " got an unexpected message " + m);
                    }
                }).spawn(kernel, c);
                state.replyPorts[c] = clients[c].port();
            }
        }

        @Override
        void issue(int c, Message m, long startNanos) {
            Lwkt.sendmsg(server.port(), m.arg(startNanos));
        }

        @Override
        public List<Check> verify() {
            return lines.verify(state.totalCompleted());
        }
    }

    /** The token design: every CPU's worker updates the lines itself, holding an LWKT token. */
    private static final class TokenDesign extends KernelClients {
        private final Lines lines;

        TokenDesign(Trial t, int nlines, int window) {
            super(t, Kernel.boot(t.kernel().build()), t.cpus(), window);
            lines = new Lines(nlines);
            Token tok = kernel.token("shared-update");
            for (int c = 0; c < clients.length; c++) {
                final int me = c;
                clients[c] = LwktThread.builder("worker" + c).tokens(tok.exclusive()).handler(m -> {
                    if (control(me, m)) {
                        return;
                    }
                    // one update per self-sent message, run with the token held
                    lines.update();
                    Lwkt.replymsg(m, Errno.OK);
                    completed(me, m, System.nanoTime());
                }).spawn(kernel, c);
                state.replyPorts[c] = NullPort.get();
            }
        }

        @Override
        void issue(int c, Message m, long startNanos) {
            Lwkt.sendmsg(clients[c].port(), m.arg(startNanos));
        }

        @Override
        public List<Check> verify() {
            return lines.verify(state.totalCompleted());
        }
    }

    // ------------------------------------------------------------------ mutex: update in place under a lock

    private static final class MutexDesign implements Workload {
        private static final Section UPDATE = (state, arg) -> {
            ((Lines) state).update();
            return 0;
        };

        private final Lines lines;
        private final Thread[] threads;
        private final long[] completed;
        private final CountDownLatch ready;
        private final CountDownLatch go = new CountDownLatch(1);
        private volatile boolean stop;
        private final BooleanSupplier stopRequested = () -> stop;
        private volatile long startNanos;
        private final List<String> pinErrors = new CopyOnWriteArrayList<>();

        MutexDesign(Trial t, int nlines, LockKind kind) {
            lines = new Lines(nlines);
            ProbedLock lock = ProbedLock.create(kind, "shared-update", t.probes(), Labels.empty());
            int n = t.cpus();
            threads = new Thread[n];
            completed = new long[(n + 1) * LINE];
            ready = new CountDownLatch(n);
            boolean pin = t.pinThreads();
            int cores = Runtime.getRuntime().availableProcessors();
            for (int c = 0; c < n; c++) {
                final int me = c;
                final LoadRecorder rec = t.recorder("thread" + c);
                final ProbedLock.Handle h = lock.handle();
                final Pacer pacer = t.openLoop() ? t.pacer(c, n) : null;
                threads[c] = new Thread(() -> {
                    if (pin) {
                        String err = Affinity.pinCurrentThread(me % cores);
                        if (err != null) {
                            pinErrors.add(err);
                        }
                    }
                    ready.countDown();
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (pacer == null) { // closed loop: the next update as soon as this one is done
                        while (!stop) {
                            long t0 = System.nanoTime();
                            h.locked(UPDATE, lines, 0);
                            rec.record(System.nanoTime() - t0);
                            completed[(me + 1) * LINE]++;
                        }
                        return;
                    }
                    pacer.start(startNanos); // open loop: on schedule, latency from the intended start
                    for (;;) {
                        long intended = pacer.awaitNext(stopRequested);
                        if (intended == Pacer.STOPPED) {
                            return;
                        }
                        h.locked(UPDATE, lines, 0);
                        rec.record(System.nanoTime() - intended);
                        completed[(me + 1) * LINE]++;
                    }
                }, "shared-update-mutex-" + c);
                threads[c].setDaemon(true);
                threads[c].start();
            }
        }

        @Override
        public void start() throws InterruptedException {
            ready.await();
            startNanos = System.nanoTime();
            go.countDown();
        }

        @Override
        public void stop() throws InterruptedException {
            stop = true;
            for (Thread th : threads) {
                th.join(30_000);
                if (th.isAlive()) {
                    throw new IllegalStateException(th.getName() + " did not stop within 30 s");
                }
            }
        }

        @Override
        public List<Check> verify() {
            long sum = 0;
            for (int c = 0; c < threads.length; c++) {
                sum += completed[(c + 1) * LINE];
            }
            List<Check> checks = new ArrayList<>(lines.verify(sum));
            if (!pinErrors.isEmpty()) {
                checks.add(new Check("threads pinned as asked", false, pinErrors.getFirst()));
            }
            return checks;
        }

        @Override
        public Map<String, Double> metrics(long ops) {
            return Map.of();
        }

        @Override
        public List<Check> shutdown() {
            return List.of();
        }
    }
}
