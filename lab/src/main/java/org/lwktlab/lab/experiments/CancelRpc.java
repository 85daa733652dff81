package org.lwktlab.lab.experiments;

import static org.lwktlab.lab.experiments.Padded.LINE;
import static org.lwktlab.lab.experiments.Padded.sum;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.lwktlab.lab.experiment.Check;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.experiment.LoadRecorder;
import org.lwktlab.lab.experiment.Param;
import org.lwktlab.lab.experiment.Trial;
import org.lwktlab.lab.experiment.Workload;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.NotifyList;
import org.lwktlab.lwkt.NullPort;
import org.lwktlab.lwkt.WaitPort;

/**
 * Cancellation end to end: workload threads cancel requests in flight on a pipe that another CPU owns —
 * a blocking {@code recv} parked on a {@link NotifyList} until data comes, and a long read done in
 * chunks with a safe point ({@link Lwkt#abortIfRequested}) before each — and every caller must see
 * exactly one outcome: its normal reply or {@code ABORTED}, never both, never neither.
 * <ul>
 *   <li>{@code kernel} — a client LWKT thread on each CPU but the pipe's sends a request, and asks a
 *       canceller thread on the next client CPU (its own with 2 CPUs) to {@code abortmsg} it at once: the
 *       cancel races the request (cancel before start, while parked, during the chunks, or after the
 *       reply).</li>
 *   <li>{@code deadline} — a client thread outside the kernel per CPU calls {@code domsg} with a
 *       timeout; what does not finish by then is aborted by the timed wait itself.</li>
 * </ul>
 * Every {@code write-every}-th recv first writes a byte, so some recvs find data and may win the race;
 * the others block until their cancel comes.
 * The checks: one outcome per request, with the right error; a completed long read ran every chunk and
 * an aborted one stopped early; no byte lost or doubled; nothing left parked.
 */
public final class CancelRpc implements Experiment {
    /** The longest cancel latency a histogram keeps (longer ones are clamped): a minute. */
    private static final long HIGHEST_NS = 60_000_000_000L;
    static final int READ = 1;
    static final int LONG_READ = 2;
    static final int WRITE = 3;
    static final int QUERY = 4;

    @Override
    public String name() {
        return "cancel-rpc";
    }

    @Override
    public String question() {
        return "Can a caller cancel a request parked or half done on another CPU, how soon does the ABORTED reply"
                + " come, and is there always exactly one outcome?";
    }

    @Override
    public List<String> designs() {
        return List.of("kernel", "deadline");
    }

    @Override
    public List<String> deterministicDesigns() {
        return List.of("kernel");
    }

    @Override
    public int minCpus() {
        return 2;
    }

    @Override
    public List<Param> params() {
        return List.of(
                new Param("kinds", "both", "requests to cancel: recv (blocking read), long-read (chunked), both"),
                new Param("chunks", "64", "chunks of a long read (each one handler run, with a safe point)"),
                new Param("write-every", "2", "every n-th recv writes a byte first (0 = never: every recv blocks)"),
                new Param("deadline-us", "20", "deadline design: the timeout of each domsg, in microseconds"));
    }

    @Override
    public Workload prepare(Trial trial) {
        String kinds = trial.choiceParam("kinds", List.of("recv", "long-read", "both"));
        int chunks = trial.intParam("chunks", 1);
        int writeEvery = trial.intParam("write-every", 0);
        int deadlineUs = trial.intParam("deadline-us", 1);
        return switch (trial.design()) {
            case "kernel" -> new KernelClients(trial, kinds, chunks, writeEvery);
            case "deadline" -> new DeadlineClients(trial, kinds, chunks, writeEvery, deadlineUs);
            default -> throw new IllegalArgumentException("cancel-rpc has no design '" + trial.design()
                    + "'; valid: kernel, deadline");
        };
    }

    /** A pipe request: what to do, and how much (bytes for read and write, chunks for a long read). */
    static final class PipeReq extends Message {
        int op;
        /** When the canceller called abortmsg ({@link Lwkt#nanoTime}); read by the client after the reply. */
        long abortAt;

        PipeReq set(int op, long n) {
            this.op = op;
            arg(n);
            result(0);
            return this;
        }
    }

    /**
     * The pipe on CPU 0. Its state belongs to that CPU; the counters are read by the controller only after
     * a {@code QUERY} round trip, which orders them.
     */
    static final class Pipe {
        final LwktThread td;
        final NotifyList readers = new NotifyList("pipe readers");
        long available;
        long written;
        long delivered;

        Pipe(Kernel k) {
            td = LwktThread.builder("pipe").handler(this::handle)
                    .onShutdown(t -> readers.replyAll(Errno.ESHUTDOWN)).spawn(k, 0);
        }

        private void handle(Message m) {
            PipeReq r = (PipeReq) m;
            switch (r.op) {
                case READ -> {
                    if (available > 0) {
                        deliver(r);
                    } else {
                        readers.park(r); // a blocking recv: cancellable while parked
                    }
                }
                case LONG_READ -> {
                    if (Lwkt.abortIfRequested(r)) { // the safe point between chunks
                        return;
                    }
                    r.result(r.result() + 1);
                    if (r.result() == r.arg()) {
                        Lwkt.replymsg(r, Errno.OK);
                    } else {
                        Lwkt.forwardmsg(td.port(), r); // the next chunk, after whatever else is queued
                    }
                }
                case WRITE -> {
                    available += r.arg();
                    written += r.arg();
                    Lwkt.replymsg(r, Errno.OK);
                    Message w;
                    while (available > 0 && (w = readers.poll()) != null) {
                        deliver((PipeReq) w);
                    }
                }
                case QUERY -> {
                    r.result(readers.size());
                    Lwkt.replymsg(r, Errno.OK);
                }
                default -> throw new IllegalArgumentException("pipe op " + r.op);
            }
        }

        private void deliver(PipeReq r) {
            long n = Math.min(available, r.arg());
            available -= n;
            delivered += n;
            r.result(n);
            Lwkt.replymsg(r, Errno.OK);
        }
    }

    /** The pipe, the outcome books (per client, padded) and the checks every design shares. */
    private abstract static class Base implements Workload {
        final Kernel kernel;
        final Pipe pipe;
        final String kinds;
        final int chunks;
        final int writeEvery;
        final int clients;
        /** Per client: requests sent, outcomes seen, wrong outcomes, bytes read. */
        final long[] sent;
        final long[] outcomes;
        final long[] wrong;
        final long[] bytesRead;
        /** Per client and kind (recv, long read): aborted and completed requests. */
        final long[] abortedRecv;
        final long[] completedRecv;
        final long[] abortedLong;
        final long[] completedLong;
        /** Per client: chunks aborted long reads had done. */
        final long[] abortedChunks;
        /** Per client (its only writer; read once the load stopped): ns from the cancel to the ABORTED reply. */
        final Histogram[] cancelNanos;
        volatile boolean stop;
        private long parkedAtEnd = -1;
        private long pipeWritten;
        private long pipeDelivered;
        private long pipeAvailable;

        Base(Trial t, String kinds, int chunks, int writeEvery, int clients) {
            this.kernel = Kernel.boot(t.kernel().build());
            this.pipe = new Pipe(kernel);
            this.kinds = kinds;
            this.chunks = chunks;
            this.writeEvery = writeEvery;
            this.clients = clients;
            sent = Padded.counters(clients);
            outcomes = Padded.counters(clients);
            wrong = Padded.counters(clients);
            bytesRead = Padded.counters(clients);
            abortedRecv = Padded.counters(clients);
            completedRecv = Padded.counters(clients);
            abortedLong = Padded.counters(clients);
            completedLong = Padded.counters(clients);
            abortedChunks = Padded.counters(clients);
            cancelNanos = new Histogram[clients];
            for (int c = 0; c < clients; c++) {
                cancelNanos[c] = new Histogram(1, HIGHEST_NS, 3);
            }
        }

        /** Arms {@code r} as operation {@code seq}'s request: a recv of one byte or a long read. */
        void arm(PipeReq r, long seq) {
            boolean longRead = switch (kinds) {
                case "recv" -> false;
                case "long-read" -> true;
                default -> (seq & 1) == 1;
            };
            r.set(longRead ? LONG_READ : READ, longRead ? chunks : 1);
        }

        /** True if operation {@code seq} writes a byte before its request: every {@code write-every}-th recv. */
        boolean writesFirst(long seq) {
            if (writeEvery == 0 || kinds.equals("long-read") || (kinds.equals("both") && (seq & 1) == 1)) {
                return false;
            }
            long recvNo = kinds.equals("both") ? seq >> 1 : seq;
            return recvNo % writeEvery == 0;
        }

        /** Books the one outcome of client {@code c}'s request {@code r}, replied at {@code now}. */
        void outcome(int c, PipeReq r, long now) {
            int i = c * LINE;
            outcomes[i]++;
            boolean aborted = r.isAborted();
            if (aborted != (r.error() == Errno.EINTR) || (!aborted && r.error() != Errno.OK)) {
                wrong[i]++;
                return;
            }
            if (r.op == READ) {
                if (aborted) {
                    abortedRecv[i]++;
                } else if (r.result() == 1) {
                    completedRecv[i]++;
                    bytesRead[i]++;
                } else {
                    wrong[i]++;
                }
            } else if (aborted) {
                abortedLong[i]++;
                abortedChunks[i] += r.result();
                if (r.result() >= r.arg()) {
                    wrong[i]++;
                }
            } else if (r.result() == r.arg()) {
                completedLong[i]++;
            } else {
                wrong[i]++;
            }
            if (aborted && r.abortAt != 0) {
                cancelNanos[c].recordValue(Math.clamp(now - r.abortAt, 1, HIGHEST_NS));
            }
        }

        /** Asks the pipe, by a round trip that orders its counters, what it holds; call once load stopped. */
        void queryPipe() {
            PipeReq q = new PipeReq().set(QUERY, 0);
            q.init(WaitPort.get());
            int err = Lwkt.domsg(pipe.td.port(), q);
            if (err != Errno.OK) {
                throw new IllegalStateException("cancel-rpc: the pipe answered a query with " + Errno.name(err));
            }
            parkedAtEnd = q.result();
            pipeWritten = pipe.written;
            pipeDelivered = pipe.delivered;
            pipeAvailable = pipe.available;
        }

        @Override
        public List<Check> verify() {
            List<Check> c = new ArrayList<>();
            c.add(Check.equal("every request ended in exactly one outcome", sum(sent), sum(outcomes)));
            c.add(Check.equal("every outcome was right: ABORTED with EINTR, or OK with its full result", 0, sum(wrong)));
            c.add(Check.equal("no byte lost or doubled: written = read by completed recvs + left in the pipe",
                    pipeWritten, sum(bytesRead) + pipeAvailable));
            c.add(Check.equal("the pipe delivered exactly what completed recvs got", pipeDelivered, sum(bytesRead)));
            c.add(Check.equal("no request left parked once every caller had its outcome", 0, parkedAtEnd));
            return c;
        }

        @Override
        public Map<String, Double> metrics(long ops) {
            Map<String, Double> m = new LinkedHashMap<>();
            long ar = sum(abortedRecv);
            long cr = sum(completedRecv);
            long al = sum(abortedLong);
            long cl = sum(completedLong);
            if (ar + cr > 0) {
                m.put("recv_aborted_fraction", (double) ar / (ar + cr));
            }
            if (al + cl > 0) {
                m.put("long_read_aborted_fraction", (double) al / (al + cl));
            }
            if (al > 0) {
                m.put("chunks_per_aborted_long_read", (double) sum(abortedChunks) / al);
            }
            Histogram all = new Histogram(1, HIGHEST_NS, 3);
            for (Histogram h : cancelNanos) {
                all.add(h);
            }
            if (all.getTotalCount() > 0) {
                m.put("cancel_to_reply_p50_ns", (double) all.getValueAtPercentile(50));
                m.put("cancel_to_reply_p99_ns", (double) all.getValueAtPercentile(99));
            }
            return m;
        }

        @Override
        public List<Check> shutdown() {
            return Check.fromShutdown(kernel.shutdown());
        }
    }

    // ------------------------------------------------------------------ kernel: LWKT clients and cancellers

    private static final class KernelClients extends Base {
        private final LwktThread[] clientThreads;
        private final AtomicInteger drained = new AtomicInteger();

        KernelClients(Trial t, String kinds, int chunks, int writeEvery) {
            super(t, kinds, chunks, writeEvery, t.cpus() - 1);
            int n = kernel.ncpus();
            clientThreads = new LwktThread[clients];
            for (int c = 0; c < clients; c++) {
                final int me = c;
                final int cpu = c + 1;
                final LoadRecorder rec = t.recorder("client" + c);
                // the canceller: another workload thread, on the next client CPU (never the pipe's, where it
                // would queue behind the very work it is to cancel)
                LwktThread canceller = kernel.spawn(cpu % (n - 1) + 1, "canceller" + c, m -> {
                    PipeReq r = (PipeReq) m.payload();
                    r.abortAt = Lwkt.nanoTime();
                    Lwkt.abortmsg(r);
                    Lwkt.replymsg(m, Errno.OK);
                });
                final PipeReq req = new PipeReq();
                final PipeReq write = new PipeReq();
                final Message cancel = new Message();
                final int[] pending = new int[1];
                final long[] seq = new long[1];
                final long[] startedAt = new long[1];
                clientThreads[c] = LwktThread.builder("client" + c).handler(m -> {
                    if (m == req) {
                        outcome(me, req, Lwkt.nanoTime());
                    } else if (m != write && m != cancel) { // the kick-off
                        Lwkt.replymsg(m, Errno.OK);
                        begin(me, seq[0]++, req, write, cancel, canceller, pending, startedAt);
                        return;
                    }
                    if (--pending[0] > 0) {
                        return;
                    }
                    rec.record(Lwkt.nanoTime() - startedAt[0]);
                    if (stop) {
                        drained.incrementAndGet();
                        return;
                    }
                    begin(me, seq[0]++, req, write, cancel, canceller, pending, startedAt);
                }).spawn(kernel, cpu);
                req.initAbortable(clientThreads[c].port());
                write.init(clientThreads[c].port());
                cancel.init(clientThreads[c].port());
                cancel.payload(req);
            }
        }

        /** One operation: maybe a write, then the request, and at once the request's cancel. */
        private void begin(int me, long s, PipeReq req, PipeReq write, Message cancel, LwktThread canceller,
                int[] pending, long[] startedAt) {
            startedAt[0] = Lwkt.nanoTime();
            pending[0] = 2;
            if (writesFirst(s)) {
                pending[0]++;
                write.set(WRITE, 1);
                Lwkt.sendmsg(pipe.td.port(), write);
            }
            arm(req, s);
            req.abortAt = 0;
            sent[me * LINE]++;
            Lwkt.sendmsg(pipe.td.port(), req);
            Lwkt.sendmsg(canceller.port(), cancel);
        }

        @Override
        public void start() {
            for (LwktThread c : clientThreads) {
                Lwkt.sendmsg(c.port(), new Message(NullPort.get()));
            }
        }

        @Override
        public void stop() {
            stop = true;
            Waits.until("clients to finish their operations in flight", Duration.ofSeconds(30),
                    () -> drained.get() == clients);
            queryPipe();
        }
    }

    // ------------------------------------------------------------------ deadline: outside clients, timed domsg

    private static final class DeadlineClients extends Base {
        private final Thread[] threads;
        private final CountDownLatch go = new CountDownLatch(1);
        private final List<Throwable> failures = new CopyOnWriteArrayList<>();

        DeadlineClients(Trial t, String kinds, int chunks, int writeEvery, int deadlineUs) {
            super(t, kinds, chunks, writeEvery, t.cpus());
            final Duration deadline = Duration.ofNanos(deadlineUs * 1_000L);
            threads = new Thread[clients];
            for (int c = 0; c < clients; c++) {
                final int me = c;
                final LoadRecorder rec = t.recorder("client" + c);
                final PipeReq req = new PipeReq();
                final PipeReq write = new PipeReq();
                req.initAbortable(WaitPort.get());
                write.init(WaitPort.get());
                threads[c] = new Thread(() -> {
                    try {
                        go.await();
                        for (long s = 0; !stop; s++) {
                            long t0 = System.nanoTime();
                            if (writesFirst(s)) {
                                check(Lwkt.domsg(pipe.td.port(), write.set(WRITE, 1)));
                            }
                            arm(req, s);
                            sent[me * LINE]++;
                            long due = System.nanoTime() + deadline.toNanos();
                            Lwkt.domsg(pipe.td.port(), req, deadline);
                            long now = System.nanoTime();
                            req.abortAt = req.isAborted() ? due : 0; // the timed wait aborts at its deadline
                            outcome(me, req, now);
                            rec.record(now - t0);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "cancel-rpc-client" + c);
                threads[c].setDaemon(true);
                threads[c].start();
            }
        }

        private static void check(int err) {
            if (err != Errno.OK) {
                throw new IllegalStateException("cancel-rpc: a write was answered " + Errno.name(err));
            }
        }

        @Override
        public void start() {
            go.countDown();
        }

        @Override
        public void stop() throws InterruptedException {
            stop = true;
            Waits.joinAll(threads, Duration.ofSeconds(30));
            queryPipe();
        }

        @Override
        public List<Check> verify() {
            List<Check> c = new ArrayList<>(super.verify());
            c.add(new Check("no client thread failed", failures.isEmpty(),
                    failures.isEmpty() ? "none" : String.valueOf(failures.getFirst())));
            return c;
        }
    }
}
