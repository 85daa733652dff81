package org.lwktlab.netisr;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.lwktlab.lwkt.AbortHandler;
import org.lwktlab.lwkt.Cpu;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.NullPort;
import org.lwktlab.lwkt.Port;
import org.lwktlab.lwkt.ShutdownParticipant;
import org.lwktlab.lwkt.ShutdownReport;
import org.agrona.concurrent.status.AtomicCounter;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.Log2Histogram;
import org.lwktlab.metrics.probe.ProbeSeries;
import org.lwktlab.netisr.rss.RssTable;
import org.lwktlab.netisr.rss.Toeplitz;
import org.lwktlab.slab.ObjCache;
import org.lwktlab.slab.Slab;
import org.lwktlab.slab.SlabConfig;

/**
 * A network stack in one kernel: two hosts ({@link #client()} 10.0.0.1 and {@link #server()} 10.0.0.2)
 * whose NICs are joined by an in-memory {@link Wire}, a netisr LWKT thread on every CPU, and the small
 * {@link Tcp} — kept consistent by the chosen {@link NetDesign}. The workload cannot tell the designs
 * apart: it makes the same socket calls ({@link SockReq}) through the same {@link #submit}.
 *
 * <p><b>Boot and shutdown.</b> {@link #boot} spawns the netisr threads, registers each CPU's
 * end-of-step hook (the NIC's transmit start: frames queued during the step go out on the wire) and
 * starts the clock. {@link #close} stops the clock; the kernel's shutdown then runs each netisr's
 * shutdown hook, which replies every call still waiting ({@code ESHUTDOWN}) and frees every PCB,
 * buffer and frame the stack still holds, so the slab's leak report stays empty.
 *
 * <p><b>Threads.</b> {@link #submit}, {@link #socket} and the read-only accessors may be called from any
 * thread; everything else runs on the kernel's CPUs.
 */
public abstract class NetStack implements AutoCloseable {
    /** Address of {@link #client()}: 10.0.0.1. */
    public static final int CLIENT_ADDR = 0x0a000001;
    /** Address of {@link #server()}: 10.0.0.2. */
    public static final int SERVER_ADDR = 0x0a000002;

    final Kernel kernel;
    final NetConfig config;
    final PacketMemory mem;
    final NetClock clock;
    final NetCpu[] cpus;
    final Host[] hosts;
    final Wire wire;
    final Tcp tcp;
    private final AtomicLong socketIds = new AtomicLong();
    private final AtomicLong outsideHint = new AtomicLong();
    private final Hardclock hardclock;
    private volatile boolean closed;

    final ObjCache<Mbuf> mbufs;
    private final boolean ownSlab;

    NetStack(Kernel kernel, NetConfig config, Slab slab, LongSupplier nanoClock, long seed) {
        this.kernel = kernel;
        this.config = config;
        this.ownSlab = slab == null;
        Slab s = slab != null ? slab : Slab.create(config.slab(), kernel, SlabConfig.builder().name("netisr")
                .arenaBytes((long) config.slabArenaMiB() << 20).build());
        this.mem = new PacketMemory(s, config.design() == NetDesign.MUTEX);
        this.mbufs = ObjCache.builder("mbuf", Mbuf::new).build(kernel);
        this.clock = new NetClock(nanoClock, config.tickNanos());
        int n = kernel.ncpus();
        this.hosts = new Host[2];
        Toeplitz key = new Toeplitz(Toeplitz.symmetricKey());
        Nic a = new Nic(key, new RssTable(n));
        Nic b = new Nic(key, new RssTable(n));
        hosts[0] = new Host(0, "client", CLIENT_ADDR, a, n);
        hosts[1] = new Host(1, "server", SERVER_ADDR, b, n);
        a.host = hosts[0];
        b.host = hosts[1];
        a.peer = b;
        b.peer = a;
        this.wire = new Wire(this);
        this.cpus = new NetCpu[n];
        long now = clock.now();
        for (int i = 0; i < n; i++) {
            cpus[i] = new NetCpu(this, i, seed, now);
        }
        this.tcp = new Tcp(this, env());
        this.hardclock = config.clock() == NetConfig.Clock.HARDCLOCK ? new Hardclock(this) : null;
    }

    /**
     * Boots a stack of {@code config.design()} on {@code kernel}, timers on the wall clock.
     *
     * @param seed seeds initial sequence numbers (the wire's faults have their own seed in the config)
     */
    public static NetStack boot(Kernel kernel, NetConfig config, long seed) {
        return boot(kernel, config, null, System::nanoTime, seed);
    }

    /**
     * Boots a stack whose frames and socket buffers come from {@code slab} (null: a slab of
     * {@code config.slab()} it creates, and closes after the kernel's shutdown) and whose timers read
     * {@code nanoClock} (a virtual clock for a deterministic run, say).
     */
    public static NetStack boot(Kernel kernel, NetConfig config, Slab slab, LongSupplier nanoClock, long seed) {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(nanoClock, "nanoClock");
        if (!kernel.running()) {
            throw new IllegalStateException("cannot boot a network stack on " + kernel + ": it is not running");
        }
        if (slab != null && slab.kernel() != kernel) {
            throw new IllegalArgumentException("the slab " + slab + " belongs to another kernel");
        }
        NetStack s = switch (config.design()) {
            case MESSAGE -> new MessageStack(kernel, config, slab, nanoClock, seed);
            case MUTEX -> new MutexStack(kernel, config, slab, nanoClock, seed);
        };
        s.start();
        return s;
    }

    /** The design's hooks for the protocol. */
    abstract TcpEnv env();

    private void start() {
        Labels l = Labels.of("subsystem", "netisr");
        for (NetCpu c : cpus) {
            c.netisr = LwktThread.builder("netisr").priority(LwktThread.PRI_SOFT).batchLimit(config.batch())
                    .labels(l).handler(m -> handle(c, m)).rollup(() -> rollup(c))
                    .onShutdown(td -> shutdownCpu(c)).spawn(kernel, c.id);
            kernel.cpu(c.id).addStepHook(cpu -> {
                if (c.txPending()) {
                    wire.transmit(c);
                }
                c.freeDeferred();
            });
        }
        kernel.addShutdownParticipant(new ShutdownParticipant() {
            @Override
            public void onShutdown(ShutdownReport.Builder report) {
                report(report);
                mbufs.close();
                if (ownSlab) {
                    mem.slab.close();
                }
            }
        });
        if (hardclock != null) {
            hardclock.start();
        } else {
            for (NetCpu c : cpus) {
                c.poller = LwktThread.builder("netisr-clock").priority(LwktThread.PRI_USER).batchLimit(1).labels(l)
                        .handler(m -> poll(c, m)).spawn(kernel, c.id);
                Lwkt.sendmsg(c.poller.port(), c.poll);
            }
        }
    }

    // ------------------------------------------------------------------ public API

    /** The design running. */
    public NetDesign design() {
        return config.design();
    }

    public NetConfig config() {
        return config;
    }

    public Kernel kernel() {
        return kernel;
    }

    /** Host 10.0.0.1. */
    public Host client() {
        return hosts[0];
    }

    /** Host 10.0.0.2. */
    public Host server() {
        return hosts[1];
    }

    public List<Host> hosts() {
        return List.of(hosts);
    }

    /**
     * A new socket on {@code host}. It starts on the calling CPU (from outside the kernel: CPUs in
     * turn); a {@code connect} may move it to the CPU its 4-tuple hashes to.
     */
    public Socket socket(Host host) {
        Cpu cur = Lwkt.currentCpu();
        int cpu = cur != null && cur.kernel() == kernel ? cur.id()
                : (int) (outsideHint.getAndIncrement() % cpus.length);
        return newSocket(host, cpu);
    }

    /** A new socket on {@code host} that starts on CPU {@code cpu}. */
    public Socket socket(Host host, int cpu) {
        kernel.cpu(cpu);
        return newSocket(host, cpu);
    }

    /** Mutex design: the PCB lock of a socket's connection (a socket's lock is its PCB's lock). */
    int lockIndex(Socket so) {
        return (int) (so.id & (config.pcbLocks() - 1));
    }

    Socket newSocket(Host host, int cpu) {
        if (host != hosts[0] && host != hosts[1]) {
            throw new IllegalArgumentException(host + " is not a host of this stack");
        }
        return new Socket(this, host, socketIds.incrementAndGet(), cpu);
    }

    /**
     * Issues socket call {@code r} (built with {@link SockReq#listen} etc. and {@code init}ed with a reply
     * port); the reply arrives there when the call is done. From an LWKT thread, from outside the
     * kernel, or from a handler passing on a call it received (it is forwarded, keeping its reply port).
     */
    public void submit(SockReq r) {
        Objects.requireNonNull(r, "request");
        if (r.so == null) {
            throw new IllegalArgumentException("socket call " + r + " names no socket; build it with listen/connect/...");
        }
        if (r.so.stack != this) {
            throw new IllegalArgumentException(r.so + " belongs to another network stack");
        }
        if (closed) {
            throw new IllegalStateException("network stack is closed: " + SockReq.opName(r.op) + " on " + r.so + " refused");
        }
        if (r.op != SockReq.RECV && (r.flags() & Message.ABORTABLE) != 0) {
            throw new IllegalArgumentException(SockReq.opName(r.op) + " on " + r.so + " is abortable, but only a recv can"
                    + " be cancelled (the other calls hold state while they wait or walk CPUs); init it with init(),"
                    + " not initAbortable()");
        }
        Port p = portFor(r);
        Cpu cur = Lwkt.currentCpu();
        if (cur != null && cur.kernel() == kernel && p.owner() != cur) {
            cpus[cur.id()].crossCpu.incrementRelease();
        }
        if (r.isDone()) {
            Lwkt.sendmsg(p, r);
        } else {
            Lwkt.forwardmsg(p, r);
        }
    }

    /**
     * The first half of {@code in_pcbconnect} for connect call {@code r} on CPU {@code c}: checks the
     * call, binds an ephemeral port, and makes the PCB (not yet linked) with the CPU its 4-tuple hashes
     * to; the socket now names it. Null if the call failed (it is completed with the reason).
     */
    Tcpcb newConnection(NetCpu c, SockReq r, int lockIndex) {
        Socket so = r.so;
        Checks.Bad bad = Checks.connect(this, so, r.addr, r.port);
        if (bad != null) {
            c.complete(r, bad.errno(), bad.why());
            return null;
        }
        int lport = config.lportRss()
                ? so.host.ports.bindEphemeral(c.id, c.rssLocalPort.to(so.host.nic, so.host.addr, r.addr, r.port),
                        RssLocalPort.TRIES)
                : so.host.ports.bindEphemeral(c.id);
        if (lport == 0) {
            c.complete(r, SoErrno.EADDRNOTAVAIL, "connect on " + so + ": no free ephemeral port");
            return null;
        }
        int rss = so.host.nic.rxQueue(r.addr, so.host.addr, r.port, lport);
        Tcpcb tp = new Tcpcb(so.host, so, lport, r.addr, r.port, rss, lockIndex, cpus[rss].wheel);
        tp.flags |= Tcpcb.TF_OWNPORT;
        so.pcb = tp;
        so.rssCpu = rss;
        so.lport = lport;
        so.faddr = r.addr;
        so.fport = r.port;
        return tp;
    }

    /**
     * The abort handler every parked {@code recv} carries: run by the core on the CPU that owns the
     * request's target port when an {@code abortmsg} for it arrives there, it takes the recv back if it is
     * still waiting and replies it {@code ABORTED}. One instance per stack, so parking allocates nothing.
     */
    final AbortHandler recvAbort = m -> abortRecv((SockReq) m);

    private void abortRecv(SockReq r) {
        NetCpu c = cpus[Lwkt.currentCpu().id()];
        if (!unparkRecv(c, r)) {
            return; // data (or a close) completed it first: its reply is on its way
        }
        c.recvAborted.incrementRelease();
        if (r.replyPort().owner() != null && r.replyPort().owner().id() != c.id) {
            c.crossCpu.incrementRelease();
        }
        r.error(SoErrno.EINTR, Tcp.cancelledWhy(r.so));
        Lwkt.replyAborted(r);
    }

    /** Takes back parked recv {@code r} whose abort arrived on CPU {@code c}, as the design owns connections. */
    abstract boolean unparkRecv(NetCpu c, SockReq r);

    /** Where call {@code r} goes: the owning netisr (message) or the calling CPU's (mutex). */
    abstract Port portFor(SockReq r);

    /** The netisr thread of CPU {@code cpu}. */
    public LwktThread netisr(int cpu) {
        return cpus[cpu].netisr;
    }

    /**
     * Stops the clock and refuses further calls. The kernel's shutdown then frees what the stack holds.
     * Any thread; idempotent.
     */
    @Override
    public void close() {
        closed = true;
        if (hardclock != null) {
            hardclock.stop();
        }
    }

    boolean closed() {
        return closed;
    }

    // ------------------------------------------------------------------ packets

    /** A packet header from the mbuf cache with a fresh frame of {@code len} bytes. On CPU {@code c}. */
    Mbuf packet(NetCpu c, int len) {
        Mbuf m = mbufs.get();
        m.data = mem.alloc(c, len);
        m.len = len;
        m.nextPkt = null;
        return m;
    }

    /** Frees a packet's frame and returns its header to the mbuf cache. On CPU {@code c}. */
    void freePacket(NetCpu c, Mbuf m) {
        if (m.data != 0) {
            mem.free(c, m.data);
            m.data = 0;
        }
        m.ifp = null;
        m.nextPkt = null;
        mbufs.put(m);
    }

    // ------------------------------------------------------------------ the netisr

    /** One message on CPU {@code c}'s netisr. */
    private void handle(NetCpu c, Message m) {
        try {
            if (m instanceof Mbuf mb) {
                c.runPackets++;
                c.rxPackets.incrementRelease();
                Lwkt.replymsg(mb, 0);
                if (!packet(c, mb)) {
                    freePacket(c, mb);
                }
            } else if (m instanceof SockReq r) {
                request(c, r);
            } else if (m instanceof NetCtl k) {
                if (k.kind == NetCtl.TICK) {
                    tick(c, k);
                } else {
                    control(c, k);
                }
            } else {
                throw new IllegalArgumentException("netisr got a message it does not handle: " + m);
            }
        } finally {
            c.flush();
        }
    }

    /** A received frame; true if the protocol kept it (reassembly). Frees nothing itself. */
    abstract boolean packet(NetCpu c, Mbuf m);

    /** A socket call. */
    abstract void request(NetCpu c, SockReq r);

    /** A control message between netisrs. */
    abstract void control(NetCpu c, NetCtl k);

    /** Runs CPU {@code c}'s due timers (design-specific ownership). */
    abstract void runTimers(NetCpu c, long now);

    /**
     * At each clock tick on CPU {@code c}: moves accepted-nowhere connections to where accepts wait
     * (message design, whose accept queues are per CPU); nothing in the mutex design's one queue.
     */
    void balanceAccepts(NetCpu c) {}

    /** The end-of-batch ACK queue (design-specific ownership). */
    abstract void drainAckQueue(NetCpu c);

    private void tick(NetCpu c, NetCtl k) {
        Lwkt.replymsg(k, 0);
        wire.releaseHeld(c);
        runTimers(c, clock.now());
        balanceAccepts(c);
    }

    /**
     * {@code clock=poll}, on CPU {@code c}'s clock poller: sends the netisr its tick (unless the last one
     * is still queued) and stays ready by sending itself {@code m} again. The poller has user priority, so
     * it takes turns with the app threads (equal priorities round-robin); a netisr re-sending its own tick
     * would, at its higher priority, never let them run. Stops once the stack is closed or the kernel
     * shuts down.
     */
    private void poll(NetCpu c, Message m) {
        Lwkt.replymsg(m, 0);
        if (closed || !kernel.running()) {
            return;
        }
        if (c.tick.isDone()) {
            c.tick.init(NullPort.get());
            Lwkt.sendmsg(c.netisr.port(), c.tick);
        }
        m.init(NullPort.get());
        Lwkt.sendmsg(c.poller.port(), m);
    }

    private void rollup(NetCpu c) {
        try {
            if (c.ackqLen > 0) {
                drainAckQueue(c);
            }
            if (c.runPackets > 0) {
                c.perDrain.record(c.runPackets);
                c.runPackets = 0;
            }
        } finally {
            c.flush();
        }
    }

    /** Kernel shutdown, on CPU {@code c}: reply what waits, free what is held. */
    abstract void shutdownCpu(NetCpu c);

    /** Frees this CPU's transmit ring and wire delay line. */
    void freeRings(NetCpu c) {
        Mbuf m;
        while ((m = c.txPoll()) != null) {
            freePacket(c, m);
        }
        wire.discardHeld(c);
    }

    /** PCBs the shutdown hooks freed, by state (for the report). */
    final java.util.concurrent.ConcurrentHashMap<String, Integer> freedAtShutdown =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Adds the stack's section to the kernel's shutdown report; frames still allocated are a problem. */
    private void report(ShutdownReport.Builder report) {
        String title = "netisr (" + design().id() + ")";
        freedAtShutdown.forEach((state, n) -> report.line(title, n + " PCB(s) in " + state + " freed at shutdown"));
        report.line(title, "ports still bound: client " + client().ports.boundCount() + ", server "
                + server().ports.boundCount());
        long chunks = liveChunks();
        if (chunks != 0) {
            report.problem("netisr: " + chunks + " slab chunk(s) (frames, socket buffers) still allocated after shutdown");
        }
    }

    /** Slab chunks (frames and socket buffers) the stack allocated and has not freed. */
    public long liveChunks() {
        long n = 0;
        for (NetCpu c : cpus) {
            n += c.chunksAlloc.getAcquire() - c.chunksFreed.getAcquire();
        }
        return n;
    }

    /** The slab frames and socket buffers come from. */
    public Slab slab() {
        return mem.slab;
    }

    /** PCBs created and not yet freed, over all CPUs and both hosts (read from the probes). */
    public long livePcbs() {
        long n = 0;
        for (NetCpu c : cpus) {
            n += c.opened.getAcquire() - c.freed.getAcquire();
        }
        return n;
    }

    /** The stack's counters summed over CPUs now (a racy sum while CPUs run). Any thread. */
    public NetStats stats() {
        long[] v = new long[21];
        for (NetCpu c : cpus) {
            Log2Histogram.Snapshot d = c.perDrain.snapshot();
            AtomicCounter[] a = {c.rxPackets, c.txPackets, null, null, c.ackRequests, c.acksSent, c.delackFired,
                c.rexmtFired, c.rexmtSegments, c.badChecksum, c.dupSegments, c.oooSegments, c.wireDropped,
                c.wireDuplicated, c.wireReordered, c.wireCorrupted, c.crossCpu, c.forwarded, c.migrated, c.opened,
                c.freed};
            for (int i = 0; i < a.length; i++) {
                if (a[i] != null) {
                    v[i] += a[i].getAcquire();
                }
            }
            v[2] += d.count();
            v[3] += d.sum();
        }
        long depth = 0;
        for (ProbeSeries s : kernel.probes().series()) {
            if (s instanceof ProbeSeries.HighWater h && h.id().name().equals("lwkt_port_depth_max")
                    && "netisr".equals(h.id().labels().get("port"))) {
                depth = Math.max(depth, h.mark().allTimeMax());
            }
        }
        return new NetStats(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13],
                v[14], v[15], v[16], v[17], v[18], v[19], v[20], depth, lockCounts());
    }

    /** Mutex design: {acquisitions, contended} per lock family; empty for the message design. */
    Map<String, long[]> lockCounts() {
        return Map.of();
    }

    /** The stack's clock. */
    NetClock clock() {
        return clock;
    }

    /** Tag for the clock: ticks since boot, from 1 (0 means "not armed"). */
    static final class NetClock {
        private final LongSupplier nanos;
        private final long tick;
        private final long base;

        NetClock(LongSupplier nanos, long tick) {
            this.nanos = nanos;
            this.tick = tick;
            this.base = nanos.getAsLong();
        }

        long now() {
            return (nanos.getAsLong() - base) / tick + 1;
        }

        /** The clock's nanoseconds (for round-trip times). */
        long nanos() {
            return nanos.getAsLong();
        }

        /** Ticks covering {@code n} nanoseconds, rounded up. */
        long ticksFor(long n) {
            return (n + tick - 1) / tick;
        }
    }

    /** The machine's timer chip: a daemon thread outside the kernel sending each netisr its tick. */
    static final class Hardclock implements Runnable {
        private final NetStack st;
        private final Thread thread;
        private volatile boolean stop;

        Hardclock(NetStack st) {
            this.st = st;
            this.thread = new Thread(this, st.kernel.name() + "-hardclock");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() {
            stop = true;
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void run() {
            final long period = st.config.tickNanos();
            long next = System.nanoTime() + period;
            while (!stop && st.kernel.running()) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    continue;
                }
                next += period;
                if (next < System.nanoTime()) {
                    next = System.nanoTime() + period; // fell behind (a loaded machine): skip, do not burst
                }
                for (NetCpu c : st.cpus) {
                    NetCtl t = c.tick;
                    if (t.isDone()) {
                        t.init(NullPort.get());
                        try {
                            Lwkt.sendmsg(c.netisr.port(), t);
                        } catch (IllegalStateException shuttingDown) {
                            return;
                        }
                    }
                }
            }
        }
    }
}
