package org.lwktlab.lab.experiments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.lwktlab.lab.experiment.Check;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.experiment.LoadRecorder;
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
    public List<String> deterministicDesigns() {
        return List.of("message", "token");
    }

    @Override
    public List<Param> params() {
        return List.of(
                new Param("lines", "4", "cache lines each update touches (K)"),
                new Param("window", "1", "updates each message-design client keeps in flight"),
                new Param("lock", "reentrant", "mutex design's lock: " + String.join(", ", LockKind.ids())));
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

    // ------------------------------------------------------------------ message: delegate to CPU 0

    private static final class MessageDesign implements Workload {
        private final Kernel kernel;
        private final Lines lines;
        private final LwktThread[] clients;
        private final AtomicInteger drained = new AtomicInteger();
        private final long[] completed;
        private volatile boolean stop;

        MessageDesign(Trial t, int nlines, int window) {
            kernel = Kernel.boot(t.kernel().build());
            lines = new Lines(nlines);
            LwktThread server = LwktThread.builder("shared-update-server").priority(LwktThread.PRI_SOFT)
                    .handler(m -> {
                        lines.update();
                        Lwkt.replymsg(m, Errno.OK);
                    }).spawn(kernel, 0);
            int n = kernel.ncpus();
            clients = new LwktThread[n];
            completed = new long[n * LINE];
            for (int c = 0; c < n; c++) {
                final int me = c;
                final LoadRecorder rec = t.recorder("client" + c);
                final int[] inFlight = new int[1];
                clients[c] = LwktThread.builder("client" + c).handler(m -> {
                    long now = Lwkt.nanoTime();
                    if (m.isReply()) { // an update coming back from the server
                        rec.record(now - m.arg());
                        completed[me * LINE]++;
                        if (stop) {
                            if (--inFlight[0] == 0) {
                                drained.incrementAndGet();
                            }
                            return;
                        }
                        Lwkt.sendmsg(server.port(), m.arg(now));
                        return;
                    }
                    // kick-off: put `window` updates in flight
                    for (int i = 0; i < window; i++) {
                        Message u = new Message(clients[me].port());
                        inFlight[0]++;
                        Lwkt.sendmsg(server.port(), u.arg(Lwkt.nanoTime()));
                    }
                    Lwkt.replymsg(m, Errno.OK);
                }).spawn(kernel, c);
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
            Waits.until("clients to drain their updates in flight", Duration.ofSeconds(30),
                    () -> drained.get() == clients.length);
        }

        @Override
        public List<Check> verify() {
            long sum = 0;
            for (int c = 0; c < clients.length; c++) {
                sum += completed[c * LINE];
            }
            return lines.verify(sum);
        }

        @Override
        public List<Check> shutdown() {
            return Check.fromShutdown(kernel.shutdown());
        }
    }

    // ------------------------------------------------------------------ token: update in place under a token

    private static final class TokenDesign implements Workload {
        private final Kernel kernel;
        private final Lines lines;
        private final LwktThread[] workers;
        private final long[] completed;
        private final AtomicInteger drained = new AtomicInteger();
        private volatile boolean stop;

        TokenDesign(Trial t, int nlines, int window) {
            kernel = Kernel.boot(t.kernel().build());
            lines = new Lines(nlines);
            Token tok = kernel.token("shared-update");
            int n = kernel.ncpus();
            workers = new LwktThread[n];
            completed = new long[n * LINE];
            for (int c = 0; c < n; c++) {
                final int me = c;
                final LoadRecorder rec = t.recorder("worker" + c);
                final int[] inFlight = new int[1];
                workers[c] = LwktThread.builder("worker" + c).tokens(tok.exclusive()).handler(m -> {
                    long now = Lwkt.nanoTime();
                    if (m.payload() == null) {
                        // kick-off: `window` self-messages, each one update per run
                        for (int i = 0; i < window; i++) {
                            inFlight[0]++;
                            Lwkt.sendmsg(workers[me].port(), new Message(NullPort.get()).payload(this).arg(now));
                        }
                        Lwkt.replymsg(m, Errno.OK);
                        return;
                    }
                    lines.update();
                    rec.record(now - m.arg());
                    completed[me * LINE]++;
                    Lwkt.replymsg(m, Errno.OK);
                    if (stop) {
                        if (--inFlight[0] == 0) {
                            drained.incrementAndGet();
                        }
                        return;
                    }
                    Lwkt.sendmsg(workers[me].port(), m.arg(Lwkt.nanoTime()));
                }).spawn(kernel, c);
            }
        }

        @Override
        public void start() {
            for (LwktThread w : workers) {
                Lwkt.sendmsg(w.port(), new Message(NullPort.get()));
            }
        }

        @Override
        public void stop() {
            stop = true;
            Waits.until("workers to finish", Duration.ofSeconds(30), () -> drained.get() == workers.length);
        }

        @Override
        public List<Check> verify() {
            long sum = 0;
            for (int c = 0; c < workers.length; c++) {
                sum += completed[c * LINE];
            }
            return lines.verify(sum);
        }

        @Override
        public List<Check> shutdown() {
            return Check.fromShutdown(kernel.shutdown());
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
        private final List<String> pinErrors = new java.util.concurrent.CopyOnWriteArrayList<>();

        MutexDesign(Trial t, int nlines, LockKind kind) {
            lines = new Lines(nlines);
            ProbedLock lock = ProbedLock.create(kind, "shared-update", t.probes(), Labels.empty());
            int n = t.cpus();
            threads = new Thread[n];
            completed = new long[n * LINE];
            ready = new CountDownLatch(n);
            boolean pin = t.pinThreads();
            int cores = Runtime.getRuntime().availableProcessors();
            for (int c = 0; c < n; c++) {
                final int me = c;
                final LoadRecorder rec = t.recorder("thread" + c);
                final ProbedLock.Handle h = lock.handle();
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
                    while (!stop) {
                        long t0 = System.nanoTime();
                        h.locked(UPDATE, lines, 0);
                        rec.record(System.nanoTime() - t0);
                        completed[me * LINE]++;
                    }
                }, "shared-update-mutex-" + c);
                threads[c].setDaemon(true);
                threads[c].start();
            }
        }

        @Override
        public void start() throws InterruptedException {
            ready.await();
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
                sum += completed[c * LINE];
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
