package org.lwktlab.lab.experiments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.lwktlab.lab.experiment.Check;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.experiment.LoadRecorder;
import org.lwktlab.lab.experiment.Param;
import org.lwktlab.lab.experiment.Trial;
import org.lwktlab.lab.experiment.Workload;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.ShutdownReport;
import org.lwktlab.netisr.NetConfig;
import org.lwktlab.netisr.NetDesign;
import org.lwktlab.netisr.NetStack;
import org.lwktlab.netisr.NetStats;
import org.lwktlab.netisr.SoErrno;
import org.lwktlab.netisr.SockReq;
import org.lwktlab.netisr.Socket;
import org.lwktlab.netisr.load.Acceptor;
import org.lwktlab.netisr.load.AppThread;
import org.lwktlab.netisr.load.Flow;

/**
 * What the three network experiments share ({@code netisr-rr}, {@code netisr-stream},
 * {@code netisr-connect}): the two designs, every {@link NetConfig} setting as a {@code --set} (wire
 * faults, timers, window, lock kind, ...), and a workload skeleton — a kernel and a {@link NetStack},
 * one client and one server {@link AppThread} per CPU (load generated inside the kernel, so no thread
 * outside it is needed), a server {@link Acceptor}, a stop protocol that lets every connection finish
 * and close, checks, and the figures that explain a result: packets per netisr drain, ACKs coalesced,
 * cross-CPU messages per packet, netisr queue depth, lock contention per lock family.
 */
abstract class NetisrExperiment implements Experiment {
    static final int PORT = 5001;

    @Override
    public List<String> designs() {
        return NetDesign.ids();
    }

    /** This experiment's own settings. */
    abstract List<Param> ownParams();

    @Override
    public final List<Param> params() {
        NetConfig d = NetConfig.builder(NetDesign.MESSAGE).build();
        List<Param> p = new ArrayList<>(ownParams());
        p.add(new Param("affinity", "none", "where a connection's app thread runs: none (spread in turn) or rss"
                + " (on the CPU its packets arrive on, as an RSS-aware server places it)"));
        p.add(new Param("acceptors", "0", "server accept loops on the listening socket (a pre-forked server);"
                + " 0 = one per CPU"));
        p.add(new Param("loss", "0", "wire: probability a frame is lost"));
        p.add(new Param("reorder", "0", "wire: probability a frame is held back and overtaken"));
        p.add(new Param("reorder.depth", "4", "wire: most frames that overtake a held one"));
        p.add(new Param("dup", "0", "wire: probability a frame is delivered twice"));
        p.add(new Param("corrupt", "0", "wire: probability a frame gets a bit flipped (checksums catch it)"));
        p.add(new Param("wire.seed", "1", "seed of the wire's faults"));
        p.add(new Param("mss", Integer.toString(d.mss()), "TCP payload bytes per segment"));
        p.add(new Param("window", Integer.toString(d.window()), "fixed window = socket buffer size, bytes (<= 8192)"));
        p.add(new Param("acks", "auto", "rollup (one ACK per connection per netisr batch), immediate, or auto"
                + " (rollup for message, immediate for mutex)"));
        p.add(new Param("batch", Integer.toString(d.batch()), "messages a netisr handles per run before its rollup"));
        p.add(new Param("tick", "1ms", "timer tick"));
        p.add(new Param("rto", Integer.toString(d.rtoTicks()), "smallest (and initial) retransmission timeout, ticks; above it the RTO follows measured RTTs"));
        p.add(new Param("rto.max", Integer.toString(d.rtoMaxTicks()), "largest retransmission timeout, ticks"));
        p.add(new Param("retries", Integer.toString(d.retries()), "retransmissions before a connection is dropped"));
        p.add(new Param("delack", Integer.toString(d.delackTicks()), "delayed-ACK timeout, ticks"));
        p.add(new Param("msl2", Integer.toString(d.msl2Ticks()), "TIME_WAIT length, ticks"));
        p.add(new Param("backlog", Integer.toString(d.backlog()), "connections a listener holds before accept; SYNs beyond are dropped"));
        p.add(new Param("lock", d.lock().id(), "mutex design: lock kind of pcbinfo and the PCB locks"));
        p.add(new Param("pcb.locks", Integer.toString(d.pcbLocks()), "mutex design: PCB lock pool size (power of two)"));
        p.add(new Param("clock", "auto", "hardclock (a timer thread ticks each CPU), poll (netisrs poll), or auto"
                + " (hardclock; poll under --deterministic, where no thread outside the kernel may run)"));
        p.add(new Param("slab", d.slab(), "slab design for frames and socket buffers (same for both designs)"));
        p.add(new Param("slab.arena", Integer.toString(d.slabArenaMiB()), "slab arena, MiB"));
        p.add(new Param("lport", d.lportRss() ? "rss" : "any", "connect's local port: rss (one whose 4-tuple hashes to"
                + " the connecting CPU) or any (the CPU's next free one; the message design then moves the PCB)"));
        return p;
    }

    @Override
    public final Workload prepare(Trial trial) throws Exception {
        NetConfig.Builder b = NetConfig.builder(NetDesign.parse(trial.design()));
        for (Param p : params()) {
            String k = p.name();
            String v = trial.param(k);
            if (NetConfig.KEYS.contains(k) && !(k.equals("acks") && v.equals("auto")) && !k.equals("clock")) {
                b.set(k, v);
            }
        }
        b.set("clock", clock(trial));
        NetConfig cfg = b.build();
        Kernel k = Kernel.boot(trial.kernel().build());
        NetStack st = null;
        try {
            st = NetStack.boot(k, cfg, null, k.clock()::nanoTime, trial.seed()); // simulated time in a simulation
            Load w = load(trial, st);
            w.setUp();
            return w;
        } catch (RuntimeException | Error e) {
            if (st != null) {
                st.close();
            }
            k.shutdown();
            throw e;
        }
    }

    /**
     * The timer source: {@code auto} is the hardclock on real CPUs and polling in a simulation (the
     * hardclock is a thread outside the kernel, so its ticks would land at real-time, unreplayable points).
     */
    private static String clock(Trial trial) {
        String c = trial.choiceParam("clock", List.of("auto", "hardclock", "poll"));
        if (c.equals("auto")) {
            return trial.deterministic() ? "poll" : "hardclock";
        }
        if (c.equals("hardclock") && trial.deterministic()) {
            throw new IllegalArgumentException("--set clock=hardclock cannot run with --deterministic: the hardclock is a"
                    + " timer thread outside the kernel; use clock=poll or clock=auto");
        }
        return c;
    }

    /**
     * Both designs run as a deterministic simulation: the app threads (clients and servers), the netisrs
     * and the wire are LWKT threads and step hooks, timers read the kernel's clock and tick by polling
     * ({@code clock=auto}). In the mutex design one thread steps every CPU, so its locks are never
     * contended: a simulated mutex run checks the protocol under that design, not the locks. (It holds no
     * lock while it sends a message — see {@code MutexStack} — so a CPU waiting for IPI ring space, which
     * lets another CPU step on the same thread, never does so inside a critical section.)
     */
    @Override
    public final List<String> deterministicDesigns() {
        return NetDesign.ids();
    }

    /** The experiment's load on {@code st}. */
    abstract Load load(Trial trial, NetStack st);

    /**
     * A network workload: app threads, an acceptor, the stop protocol, checks and figures. Subclasses
     * make the flows.
     */
    abstract static class Load implements Workload {
        final Trial trial;
        final NetStack st;
        final Kernel kernel;
        final AppThread[] clients;
        final AppThread[] servers;
        final LoadRecorder[] recorders;
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        /** Client flows still running. */
        final AtomicInteger clientsRunning = new AtomicInteger();
        /** Server flows started (one per accepted connection) and ended. */
        final AtomicInteger serversStarted = new AtomicInteger();
        final AtomicInteger serversEnded = new AtomicInteger();
        final org.lwktlab.netisr.load.Outcomes acceptOutcomes = new org.lwktlab.netisr.load.Outcomes();
        /** Run each connection's flows on the app thread of its RSS CPU. */
        final boolean rssAffinity;
        private Acceptor acceptor;
        volatile boolean stop;
        private NetStats atStart;
        private NetStats atStop;
        private long startNanos;
        private long stopNanos;

        Load(Trial trial, NetStack st) {
            this.trial = trial;
            this.st = st;
            this.kernel = st.kernel();
            this.clients = AppThread.perCpu(st, "client");
            this.servers = AppThread.perCpu(st, "server");
            this.rssAffinity = trial.choiceParam("affinity", List.of("none", "rss")).equals("rss");
            this.recorders = new LoadRecorder[clients.length];
            for (int c = 0; c < clients.length; c++) {
                recorders[c] = trial.recorder("client" + c);
            }
        }

        /** Listens; subclasses may open connections here too (not measured). */
        void setUp() {
            int loops = trial.intParam("acceptors", 0);
            acceptor = new Acceptor(st.server(), PORT, servers, this::serve, rssAffinity, acceptOutcomes,
                    loops == 0 ? servers.length : loops);
            servers[0].start(acceptor);
            Waits.until("the server to listen", Duration.ofSeconds(30), acceptor::listening);
        }

        /** The server flow for an accepted connection. */
        abstract ServerFlow serve(Socket so);

        /** Starts the client flows (the load). */
        abstract void startClients();

        @Override
        public final void start() {
            atStart = st.stats();
            startNanos = kernel.clock().nanoTime();
            startClients();
        }

        @Override
        public void stop() {
            stop = true;
            atStop = st.stats();
            stopNanos = kernel.clock().nanoTime();
            Waits.until("every client connection to finish and close", Duration.ofSeconds(60),
                    () -> clientsRunning.get() == 0);
            Waits.until("every server connection to see the close", Duration.ofSeconds(60),
                    () -> serversEnded.get() == serversStarted.get());
        }

        @Override
        public List<Check> verify() {
            List<Check> c = new ArrayList<>();
            List<String> f = new ArrayList<>(failures);
            f.addAll(acceptOutcomes.failures());
            c.add(new Check("no socket call failed", f.isEmpty(), f.isEmpty() ? "0 failures"
                    : f.size() + " failures, first: " + f.getFirst()));
            return c;
        }

        @Override
        public Map<String, Double> metrics(long ops) {
            Map<String, Double> m = new LinkedHashMap<>();
            if (atStart == null || atStop == null) {
                return m;
            }
            NetStats d = atStop.minus(atStart);
            double secs = (stopNanos - startNanos) / 1e9;
            m.put("packets_per_drain", d.packetsPerDrain());
            m.put("acks_coalesced_ratio", d.acksCoalescedRatio());
            m.put("cross_cpu_msgs_per_packet", d.crossCpuPerPacket());
            m.put("netisr_depth_max", (double) atStop.netisrDepthMax());
            m.put("packets_per_s", d.rxPackets() / secs);
            if (d.rxPackets() > 0) {
                m.put("rexmt_per_1k_packets", 1000.0 * d.rexmtSegments() / d.rxPackets());
            }
            if (d.migrations() > 0 || d.forwarded() > 0) {
                m.put("connect_migrations_per_s", d.migrations() / secs);
                m.put("forwarded_per_s", d.forwarded() / secs);
            }
            d.locks().forEach((name, v) -> {
                if (v[0] > 0) {
                    m.put(name + "_contended_ratio", (double) v[1] / v[0]);
                    m.put(name + "_acquisitions_per_packet", d.rxPackets() == 0 ? Double.NaN : (double) v[0] / d.rxPackets());
                }
            });
            m.putAll(extraMetrics(ops, d, secs));
            m.values().removeIf(v -> v.isNaN() || v.isInfinite());
            return m;
        }

        /** Experiment-specific figures (window {@code d} over {@code secs}, warm-up included). */
        Map<String, Double> extraMetrics(long ops, NetStats d, double secs) {
            return Map.of();
        }

        @Override
        public List<Check> shutdown() throws Exception {
            st.close();
            ShutdownReport r = kernel.shutdown();
            List<Check> c = new ArrayList<>(Check.fromShutdown(r));
            c.add(Check.equal("every slab chunk the stack took was freed", 0, st.liveChunks()));
            return c;
        }

        /**
         * With {@code affinity=rss}: moves {@code f}, whose connection {@code so} just opened, to the client
         * app thread of the connection's RSS CPU and returns true (its {@code start} runs again there).
         */
        boolean moveToRssCpu(Flow f, AppThread current, Socket so) {
            if (!rssAffinity || so.rssCpu() < 0 || so.rssCpu() == current.cpu()) {
                return false;
            }
            clients[so.rssCpu()].start(f);
            return true;
        }

        /** A socket call failed: record it (the flow stops). */
        void failed(SockReq r) {
            failures.add(SockReq.opName(r.op()) + " on " + r.socket() + ": " + SoErrno.name(r.error()) + " "
                    + r.errorDetail());
        }
    }

    /**
     * A client flow on one connection for the whole trial: connects, moves to the connection's RSS CPU
     * when {@code affinity=rss}, runs {@link #operation}s until the load stops, then closes. A failed
     * call or the close ends it (counted in {@link Load#clientsRunning}).
     */
    abstract static class ClientFlow extends Flow {
        final Load load;
        Socket so;

        ClientFlow(Load load) {
            this.load = load;
        }

        @Override
        protected final void start() {
            if (so != null) {
                next(); // moved to the connection's CPU (affinity=rss)
                return;
            }
            so = stack().socket(stack().client());
            req.connect(so, NetStack.SERVER_ADDR, PORT);
            call();
        }

        @Override
        protected final void replied(SockReq r) {
            if (r.error() != 0) {
                load.failed(r);
                load.clientsRunning.decrementAndGet();
                return;
            }
            switch (r.op()) {
                case SockReq.CONNECT -> {
                    if (!load.moveToRssCpu(this, app, so)) {
                        next();
                    }
                }
                case SockReq.CLOSE -> load.clientsRunning.decrementAndGet();
                default -> continued(r);
            }
        }

        /** Starts the next operation, or closes the connection once the load stops. */
        final void next() {
            if (load.stop) {
                req.close(so);
                call();
                return;
            }
            operation();
        }

        /** Issues the first call of one operation (a transaction, a send). */
        abstract void operation();

        /** Continues after the reply {@code r} to a call other than connect and close. */
        abstract void continued(SockReq r);

        /** The client gave up: record why (the flow ends). */
        final void gaveUp(String why) {
            load.failures.add(why);
            load.clientsRunning.decrementAndGet();
        }
    }

    /** A server flow: counted so {@link Load#stop} can wait for every one to end. */
    abstract static class ServerFlow extends Flow {
        final Load load;

        ServerFlow(Load load) {
            this.load = load;
            load.serversStarted.incrementAndGet();
        }

        final void ended() {
            load.serversEnded.incrementAndGet();
        }
    }
}
