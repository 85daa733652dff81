package org.lwktlab.netisr;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.lwktlab.lwkt.Cpu;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.Port;
import org.lwktlab.slab.Slab;
import org.lwktlab.lwkt.lock.ProbedLock;
import org.lwktlab.lwkt.lock.Section;
import org.lwktlab.metrics.probe.Labels;

/**
 * The mutex design (FreeBSD's {@code pcbinfo} era): one global PCB hash per host and one listen table,
 * under one lock ({@code pcbinfo}) for every lookup, insert and remove, plus a lock per PCB
 * ({@code INP_WLOCK}); packets are processed on whichever CPU's netisr the NIC delivered them to, and
 * socket calls on the caller's own CPU (a local hand-off to that CPU's netisr, never an IPI), both
 * locking what they touch. Same protocol code ({@link Tcp}) as the message design.
 *
 * <p><b>Locks</b> (all from the {@link ProbedLock} portfolio, kind {@link NetConfig#lock()}), in the only
 * order they nest: PCB lock, then listener lock, then {@code pcbinfo}; a callout (timer wheel) lock
 * innermost of all. A lookup takes {@code pcbinfo}, finds the PCB, lets go, then takes the PCB lock and
 * checks the PCB was not freed in between (FreeBSD's {@code INP_FREED} check); if it was, it looks
 * again. A "lock per PCB" is a pool of {@link NetConfig#pcbLocks()} locks (each socket takes one by its
 * id; a socket's lock is its PCB's lock), because each lock carries its own probe counters per CPU —
 * with more locks than connections in use at once, two connections rarely share one.
 *
 * <p>No message is sent while a lock is held (a reply can wait for IPI ring space, and a CPU spinning
 * for that lock would never drain the ring): completed calls are replied, and slab chunks freed (a free
 * may send the chunk home by IPI), after the lock is dropped ({@link NetCpu#flush}); frames go out at
 * the end of the CPU's step. Timers of a connection live
 * on its RSS CPU's wheel, under that wheel's lock (FreeBSD's per-CPU {@code cc_lock}).
 *
 * <p>Critical sections are static {@link Section}s; their arguments travel in the running CPU's
 * {@link NetCpu} scratch fields, read once on entry.
 */
final class MutexStack extends NetStack implements TcpEnv {
    private static final int LISTENER_LOCKS = 16;

    /** pcbs[host]: every connection, by (faddr, fport, lport). Under {@code pcbinfo}. */
    private final LongTable<Tcpcb>[] pcbs;
    /** listeners[host]: by port. Under {@code pcbinfo}. */
    private final LongTable<Listener>[] listeners;
    private final Locks[] locks;

    /** One CPU's handles on every lock (a handle is single-writer: its CPU's thread). */
    private static final class Locks {
        final ProbedLock.Handle info;
        final ProbedLock.Handle[] pcb;
        final ProbedLock.Handle[] listener;
        final ProbedLock.Handle[] callout;
        final ArrayDeque<Socket> orphans = new ArrayDeque<>();

        Locks(ProbedLock info, ProbedLock[] pcb, ProbedLock[] listener, ProbedLock[] callout) {
            this.info = info.handle();
            this.pcb = new ProbedLock.Handle[pcb.length];
            for (int i = 0; i < pcb.length; i++) {
                this.pcb[i] = pcb[i].handle();
            }
            this.listener = new ProbedLock.Handle[listener.length];
            for (int i = 0; i < listener.length; i++) {
                this.listener[i] = listener[i].handle();
            }
            this.callout = new ProbedLock.Handle[callout.length];
            for (int i = 0; i < callout.length; i++) {
                this.callout[i] = callout[i].handle();
            }
        }
    }

    @SuppressWarnings("unchecked")
    MutexStack(Kernel kernel, NetConfig config, Slab slab, LongSupplier nanoClock, long seed) {
        super(kernel, config, slab, nanoClock, seed);
        pcbs = new LongTable[] {new LongTable<>(1024), new LongTable<>(1024)};
        listeners = new LongTable[] {new LongTable<>(16), new LongTable<>(16)};
        Labels l = Labels.of("subsystem", "netisr");
        var probes = kernel.probes();
        ProbedLock info = ProbedLock.create(config.lock(), "pcbinfo", probes, l);
        ProbedLock[] pcb = new ProbedLock[config.pcbLocks()];
        for (int i = 0; i < pcb.length; i++) {
            pcb[i] = ProbedLock.create(config.lock(), "inpcb-" + i, probes, l);
        }
        ProbedLock[] lis = new ProbedLock[LISTENER_LOCKS];
        for (int i = 0; i < lis.length; i++) {
            lis[i] = ProbedLock.create(config.lock(), "solisten-" + i, probes, l);
        }
        ProbedLock[] co = new ProbedLock[kernel.ncpus()];
        for (int i = 0; i < co.length; i++) {
            co[i] = ProbedLock.create(config.lock(), "callout-" + i, probes, l);
        }
        locks = new Locks[kernel.ncpus()];
        for (int c = 0; c < locks.length; c++) {
            locks[c] = new Locks(info, pcb, lis, co);
        }
    }

    @Override
    TcpEnv env() {
        return this;
    }

    @Override
    Port portFor(SockReq r) {
        Cpu cur = Lwkt.currentCpu();
        int cpu = cur != null && cur.kernel() == kernel ? cur.id() : r.so.cpu();
        return cpus[cpu].netisr.port();
    }

    private static MutexStack of(NetCpu c) {
        return (MutexStack) c.stack;
    }

    // ------------------------------------------------------------------ packets

    /** Under pcbinfo: links PCB {@code s}; 0 if its 4-tuple is taken. */
    private static final Section INSERT = (s, a) -> {
        Tcpcb tp = (Tcpcb) s;
        return ((MutexStack) tp.so.stack).pcbs[tp.host.index].putIfAbsent(tp.key, tp) == null ? 1 : 0;
    };

    /** Under pcbinfo: unlinks PCB {@code s}. */
    private static final Section REMOVE = (s, a) -> {
        Tcpcb tp = (Tcpcb) s;
        return ((MutexStack) tp.so.stack).pcbs[tp.host.index].remove(tp.key, tp) ? 1 : 0;
    };

    /** Under the listener's lock: take a ready connection or wait for one. */
    private static final Section ACCEPT = (s, a) -> {
        NetCpu c = (NetCpu) s;
        SockReq r = c.curReq;
        Listener l = r.so.listener;
        Socket ready = l.queue.poll();
        if (ready != null) {
            l.unreserve();
            r.accepted = ready;
            c.complete(r, SoErrno.OK, null);
        } else {
            l.waiting.add(r);
        }
        return 0;
    };

    /** Under pcbinfo: binds the listener's port and enters it in the listen table; 0 if the port is taken. */
    private static final Section LISTEN_INSERT = (s, a) -> {
        Listener l = (Listener) s;
        if (!l.host.ports.bind(l.port)) {
            return 0;
        }
        ((MutexStack) l.so.stack).listeners[l.host.index].putIfAbsent(l.port, l);
        return 1;
    };

    /** Under pcbinfo: removes the listener from the listen table. */
    private static final Section LISTEN_REMOVE = (s, a) -> {
        Listener l = (Listener) s;
        ((MutexStack) l.so.stack).listeners[l.host.index].remove(l.port, l);
        return 0;
    };

    /** Under the listener's lock: mark it closed, fail waiting accepts, take its queue into {@code orphans}. */
    private static final Section LISTEN_SHUT = (s, a) -> {
        NetCpu c = (NetCpu) s;
        Listener l = c.curListener;
        l.closed = true;
        SockReq w;
        while ((w = l.waiting.poll()) != null) {
            c.complete(w, SoErrno.ECONNABORTED, "accept on " + l.so + " aborted: the listening socket was closed");
        }
        ArrayDeque<Socket> orphans = of(c).locks[c.id].orphans;
        Socket q;
        while ((q = l.queue.poll()) != null) {
            orphans.add(q);
        }
        return 0;
    };

    /** Under a PCB lock: resets {@code c.curTp} because its listener went away. */
    private static final Section ABORT = (s, a) -> {
        NetCpu c = (NetCpu) s;
        Tcpcb tp = c.curTp;
        if (tp != null && !tp.detached) {
            of(c).tcp.drop(c, tp, SoErrno.ECONNABORTED, "the listening socket was closed before accept", true);
        }
        return 0;
    };

    private static final Section ARM = (s, deadline) -> {
        Callout co = (Callout) s;
        co.wheel.arm(co, deadline);
        return 0;
    };

    private static final Section CANCEL = (s, a) -> {
        Callout co = (Callout) s;
        co.wheel.cancel(co);
        return 0;
    };

    /** Under the listener's lock (inside the PCB's): queue {@code c.curTp}'s socket; 1 if the listener is closed. */
    private static final Section HANDOFF = (s, a) -> {
        NetCpu c = (NetCpu) s;
        Tcpcb tp = c.curTp;
        Listener l = tp.listener;
        if (l.closed) {
            return 1;
        }
        SockReq w = l.waiting.poll();
        if (w != null) {
            l.unreserve();
            w.accepted = tp.so;
            c.complete(w, SoErrno.OK, null);
        } else {
            l.queue.add(tp.so);
        }
        return 0;
    };

    private static final Section COLLECT = (s, now) -> ((CalloutWheel) s).collect(now);

    /** Under the PCB lock: fire callout {@code c.found} if it is still the one collected at tick {@code at}. */
    private static final Section FIRE = (s, at) -> {
        NetCpu c = (NetCpu) s;
        Callout co = (Callout) c.found;
        if (co.deadline != at || co.tp.detached) {
            return 0;
        }
        co.deadline = 0;
        of(c).tcp.timer(c, co.tp, co.kind);
        return 1;
    };

    private static final Section ROLLUP = (s, a) -> {
        NetCpu c = (NetCpu) s;
        of(c).tcp.rollupOne(c, c.curTp);
        return 0;
    };

    private static final Section SHUTDOWN_CLOSE = (s, a) -> {
        NetCpu c = (NetCpu) s;
        Tcpcb tp = c.curTp;
        if (!tp.detached) {
            of(c).freedAtShutdown.merge(Tcpcb.stateName(tp.state), 1, Integer::sum);
            of(c).tcp.close(c, tp, SoErrno.ESHUTDOWN, "the kernel is shutting down");
        }
        return 0;
    };

    /** Under pcbinfo: the connection or listener for {@code c.curMbuf}, into {@code c.found}. */
    private static final Section LOOKUP = (s, a) -> {
        NetCpu c = (NetCpu) s;
        MutexStack st = of(c);
        Mbuf m = c.curMbuf;
        int h = m.ifp.host.index;
        Tcpcb tp = st.pcbs[h].get(Tcpcb.key(m.saddr, m.sport, m.dport));
        if (tp != null) {
            c.found = tp;
            return 1;
        }
        Listener l = st.listeners[h].get(m.dport);
        c.found = l != null && !l.closed ? l : null;
        return 0;
    };

    /** Under the PCB lock: input {@code c.curMbuf} to {@code c.curTp}; -1 if it was freed meanwhile. */
    private static final Section INPUT = (s, a) -> {
        NetCpu c = (NetCpu) s;
        Tcpcb tp = c.curTp;
        Mbuf m = c.curMbuf;
        if (tp.detached) {
            return -1;
        }
        return of(c).tcp.input(c, tp, m) ? 1 : 0;
    };

    /** Under the new PCB's lock: link it (pcbinfo nested) and send the SYN|ACK; -1 if one exists. */
    private static final Section SYN_ATTACH = (s, a) -> {
        NetCpu c = (NetCpu) s;
        Tcpcb tp = c.curTp;
        MutexStack st = of(c);
        if (st.locks[c.id].info.locked(INSERT, tp, 0) == 0) {
            return -1;
        }
        st.tcp.output(c, tp);
        return 0;
    };

    @Override
    boolean packet(NetCpu c, Mbuf m) {
        if (!tcp.parse(c, m)) {
            return false;
        }
        Locks lk = locks[c.id];
        for (;;) {
            c.curMbuf = m;
            lk.info.locked(LOOKUP, c, 0);
            Object f = c.found;
            c.found = null;
            if (f instanceof Tcpcb tp) {
                c.curTp = tp;
                c.curMbuf = m;
                long kept = lk.pcb[tp.lockIndex].locked(INPUT, c, 0);
                if (kept >= 0) {
                    return kept == 1;
                }
                // freed between lookup and lock: look again (it may have a successor, or a listener)
            } else if (f instanceof Listener l) {
                Tcpcb n = tcp.passiveOpen(c, l, m);
                if (n == null) {
                    return false;
                }
                c.curTp = n;
                if (lk.pcb[n.lockIndex].locked(SYN_ATTACH, c, 0) >= 0) {
                    return false;
                }
                tcp.releaseBuffers(c, n); // lost a race to create it: use the one that won
                l.unreserve();
                c.freed.incrementRelease();
            } else {
                tcp.respondRst(c, m.ifp.host, m);
                return false;
            }
        }
    }

    // ------------------------------------------------------------------ socket calls

    /** Under the socket's (= its PCB's) lock: the call in {@code c.curReq}, except a listener's close. */
    private static final Section REQUEST = (s, a) -> {
        NetCpu c = (NetCpu) s;
        SockReq r = c.curReq;
        MutexStack st = of(c);
        Socket so = r.so;
        switch (r.op) {
            case SockReq.LISTEN -> st.listen(c, r);
            case SockReq.ACCEPT -> {
                Checks.Bad bad = Checks.accept(so);
                if (bad != null) {
                    c.complete(r, bad.errno(), bad.why());
                } else {
                    st.locks[c.id].listener[so.listener.lockIndex].locked(ACCEPT, c, 0);
                }
            }
            case SockReq.CONNECT -> st.connect(c, r);
            case SockReq.SEND -> st.tcp.send(c, so, r);
            case SockReq.RECV -> st.tcp.recv(c, so, r);
            case SockReq.CLOSE -> {
                if (so.listener == null) {
                    st.tcp.closeConnection(c, so, r);
                } else if (so.userClosed) {
                    c.complete(r, SoErrno.EBADF, "close of " + so + ", which is already closed");
                } else {
                    so.userClosed = true;
                    return 1; // the caller finishes closing the listener without this lock
                }
            }
            default -> c.complete(r, SoErrno.EINVAL, "unknown socket call " + r.op);
        }
        return 0;
    };

    /** Under the socket's (= its PCB's) lock: take back the aborted recv {@code s} if it still waits; 1 if taken. */
    private static final Section UNPARK_RECV = (s, a) -> Tcp.unparkAborted((SockReq) s) ? 1 : 0;

    /**
     * The abort reaches the CPU whose netisr the recv was submitted to; the connection may be served by
     * another CPU's netisr (its RSS CPU, where data arrives), so the recv is taken back under the PCB
     * lock, which a completion on that CPU holds too: one of them finds it, the other finds it gone. The
     * reply goes out after the lock is dropped.
     */
    @Override
    boolean unparkRecv(NetCpu c, SockReq r) {
        return locks[c.id].pcb[lockIndex(r.so)].locked(UNPARK_RECV, r, 0) == 1;
    }

    @Override
    void request(NetCpu c, SockReq r) {
        Locks lk = locks[c.id];
        c.curReq = r;
        if (lk.pcb[lockIndex(r.so)].locked(REQUEST, c, 0) == 1) {
            closeListener(c, r);
        }
    }

    private void listen(NetCpu c, SockReq r) {
        Socket so = r.so;
        Checks.Bad bad = Checks.listen(so, r.port);
        if (bad != null) {
            c.complete(r, bad.errno(), bad.why());
            return;
        }
        Listener l = new Listener(so, r.port, c.id, (int) (so.id % LISTENER_LOCKS), 0);
        if (locks[c.id].info.locked(LISTEN_INSERT, l, 0) == 0) {
            c.complete(r, SoErrno.EADDRINUSE, "listen on " + so.host + " port " + r.port + ": the port is in use");
            return;
        }
        so.listener = l;
        so.lport = r.port;
        c.complete(r, SoErrno.OK, null);
    }

    private void connect(NetCpu c, SockReq r) {
        Tcpcb tp = newConnection(c, r, lockIndex(r.so));
        if (tp == null) {
            return;
        }
        attach(c, tp);
        tcp.connect(c, tp, r);
    }

    /** The rest of closing a listener, after the socket lock marked it closed: no lock nests here. */
    private void closeListener(NetCpu c, SockReq r) {
        Listener l = r.so.listener;
        Locks lk = locks[c.id];
        lk.info.locked(LISTEN_REMOVE, l, 0);
        c.curListener = l;
        lk.listener[l.lockIndex].locked(LISTEN_SHUT, c, 0);
        c.curListener = null;
        Socket q;
        while ((q = lk.orphans.poll()) != null) {
            c.curTp = q.pcb;
            lk.pcb[lockIndex(q)].locked(ABORT, c, 0);
        }
        l.host.ports.release(l.port);
        c.complete(r, SoErrno.OK, null);
    }

    @Override
    void control(NetCpu c, NetCtl k) {
        throw new IllegalArgumentException("the mutex design sends no control messages; got " + k);
    }

    // ------------------------------------------------------------------ TcpEnv: shared state under locks

    @Override
    public void attach(NetCpu c, Tcpcb tp) {
        if (locks[c.id].info.locked(INSERT, tp, 0) == 0) {
            throw new IllegalStateException("the PCB table already has " + tp);
        }
    }

    @Override
    public void detach(NetCpu c, Tcpcb tp) {
        locks[c.id].info.locked(REMOVE, tp, 0);
    }

    @Override
    public void arm(NetCpu c, Callout co, long deadline) {
        locks[c.id].callout[co.tp.rssCpu].locked(ARM, co, deadline);
    }

    @Override
    public void cancel(NetCpu c, Callout co) {
        locks[c.id].callout[co.tp.rssCpu].locked(CANCEL, co, 0);
    }

    @Override
    public void established(NetCpu c, Tcpcb tp) {
        Listener l = tp.listener;
        c.curTp = tp;
        long closed = locks[c.id].listener[l.lockIndex].locked(HANDOFF, c, 0);
        tp.listener = null;
        if (closed == 1) {
            tcp.drop(c, tp, SoErrno.ECONNABORTED, "the listening socket was closed before accept", true);
        }
    }

    // ------------------------------------------------------------------ timers and the ACK rollup

    @Override
    void runTimers(NetCpu c, long now) {
        Locks lk = locks[c.id];
        CalloutWheel w = c.wheel;
        int n = (int) lk.callout[c.id].locked(COLLECT, w, now);
        for (int i = 0; i < n; i++) {
            Callout co = w.due[i];
            long at = w.dueAt[i];
            w.due[i] = null;
            c.found = co;
            lk.pcb[co.tp.lockIndex].locked(FIRE, c, at);
            c.found = null;
            c.flush();
        }
    }

    @Override
    void drainAckQueue(NetCpu c) {
        Locks lk = locks[c.id];
        for (int i = 0; i < c.ackqLen; i++) {
            Tcpcb tp = c.ackq[i];
            c.ackq[i] = null;
            c.curTp = tp;
            lk.pcb[tp.lockIndex].locked(ROLLUP, c, 0);
        }
        c.ackqLen = 0;
        c.curTp = null;
    }

    // ------------------------------------------------------------------ shutdown and figures

    @Override
    void shutdownCpu(NetCpu c) {
        if (c.id == 0) {
            Locks lk = locks[0];
            for (int h = 0; h < 2; h++) {
                pcbs[h].forEach(tp -> {
                    c.curTp = tp;
                    lk.pcb[tp.lockIndex].locked(SHUTDOWN_CLOSE, c, 0);
                });
                listeners[h].forEach(l -> {
                    SockReq w;
                    while ((w = l.waiting.poll()) != null) {
                        c.complete(w, SoErrno.ESHUTDOWN, "accept on " + l.so + ": the kernel is shutting down");
                    }
                    l.queue.clear();
                    listeners[l.host.index].remove(l.port, l);
                });
            }
            c.curTp = null;
        }
        for (int i = 0; i < c.ackqLen; i++) {
            c.ackq[i] = null;
        }
        c.ackqLen = 0;
        freeRings(c);
        c.flush();
    }

    /** Acquisitions and contended acquisitions per lock family, summed over CPUs. */
    @Override
    Map<String, long[]> lockCounts() {
        Map<String, long[]> m = new LinkedHashMap<>();
        long[] info = new long[2];
        long[] pcb = new long[2];
        long[] lis = new long[2];
        long[] co = new long[2];
        for (Locks lk : locks) {
            add(info, lk.info);
            for (ProbedLock.Handle h : lk.pcb) {
                add(pcb, h);
            }
            for (ProbedLock.Handle h : lk.listener) {
                add(lis, h);
            }
            for (ProbedLock.Handle h : lk.callout) {
                add(co, h);
            }
        }
        m.put("pcbinfo", info);
        m.put("inpcb", pcb);
        m.put("solisten", lis);
        m.put("callout", co);
        return m;
    }

    private static void add(long[] acc, ProbedLock.Handle h) {
        acc[0] += h.acquisitions();
        acc[1] += h.contended();
    }
}
