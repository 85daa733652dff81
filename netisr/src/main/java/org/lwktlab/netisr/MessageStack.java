package org.lwktlab.netisr;

import java.util.function.LongSupplier;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.NullPort;
import org.lwktlab.lwkt.Port;
import org.lwktlab.slab.Slab;

/**
 * The message design (DragonFly's): every connection's PCB lives in the per-CPU table of the CPU its
 * 4-tuple hashes to ({@code tcbinfo[cpu]}) and only that CPU's netisr touches it — no lock anywhere in
 * the protocol. Packets reach that netisr because RSS with a symmetric key sends both directions of a
 * flow to it; socket calls reach it because they are messages to the socket's CPU ({@code so_port}).
 *
 * <ul>
 *   <li><b>listen</b> runs on the socket's CPU (the listener's home, where its accept queue lives) and
 *       then visits every other netisr to enter the listener in its listen table (DragonFly replicates
 *       listen PCBs), replying from the last one.</li>
 *   <li>A <b>SYN</b> creates the connection on the CPU that received it — its RSS CPU. When the
 *       handshake completes, the socket is handed to the listener's home by message
 *       ({@link NetCtl#HANDOFF}), where a waiting {@code accept} takes it.</li>
 *   <li><b>connect</b> binds an ephemeral port on the socket's current CPU; if the 4-tuple hashes to
 *       another CPU, the socket moves there ({@code so_port} changes) and the connect is forwarded with
 *       the PCB. Calls that reach the old CPU later are forwarded on (stragglers, §9.18).</li>
 *   <li>Timers live on the owning CPU's wheel; owed ACKs go out in the netisr's end-of-batch rollup.</li>
 * </ul>
 */
final class MessageStack extends NetStack implements TcpEnv {
    /** pcbs[cpu][host]: connections by (faddr, fport, lport). */
    private final LongTable<Tcpcb>[][] pcbs;
    /** listeners[cpu][host]: listeners by port. */
    private final LongTable<Listener>[][] listeners;

    @SuppressWarnings("unchecked")
    MessageStack(Kernel kernel, NetConfig config, Slab slab, LongSupplier nanoClock, long seed) {
        super(kernel, config, slab, nanoClock, seed);
        int n = kernel.ncpus();
        pcbs = new LongTable[n][2];
        listeners = new LongTable[n][2];
        for (int c = 0; c < n; c++) {
            for (int h = 0; h < 2; h++) {
                pcbs[c][h] = new LongTable<>(256);
                listeners[c][h] = new LongTable<>(16);
            }
        }
    }

    @Override
    TcpEnv env() {
        return this;
    }

    @Override
    Port portFor(SockReq r) {
        return cpus[r.so.cpu()].netisr.port();
    }

    // ------------------------------------------------------------------ packets

    @Override
    boolean packet(NetCpu c, Mbuf m) {
        if (!tcp.parse(c, m)) {
            return false;
        }
        Host h = m.ifp.host;
        Tcpcb tp = pcbs[c.id][h.index].get(Tcpcb.key(m.saddr, m.sport, m.dport));
        if (tp != null) {
            return tcp.input(c, tp, m);
        }
        Listener l = listeners[c.id][h.index].get(m.dport);
        if (l != null && !l.closed) {
            Tcpcb n = tcp.passiveOpen(c, l, m);
            if (n != null) {
                attach(c, n);
                tcp.output(c, n);
            }
            return false;
        }
        tcp.respondRst(c, h, m);
        return false;
    }

    // ------------------------------------------------------------------ socket calls

    @Override
    void request(NetCpu c, SockReq r) {
        Socket so = r.so;
        int owner = so.cpu();
        if (r.walk == 0 && owner != c.id) {
            // the socket moved (connect migration) after the caller read its CPU: chase it
            c.forwarded.incrementRelease();
            c.crossCpu.incrementRelease();
            Lwkt.forwardmsg(cpus[owner].netisr.port(), r);
            return;
        }
        switch (r.op) {
            case SockReq.LISTEN -> listen(c, r);
            case SockReq.ACCEPT -> accept(c, r);
            case SockReq.CONNECT -> connect(c, r);
            case SockReq.SEND -> tcp.send(c, so, r);
            case SockReq.RECV -> tcp.recv(c, so, r);
            case SockReq.CLOSE -> {
                if (so.listener != null) {
                    closeListener(c, r);
                } else {
                    tcp.closeConnection(c, so, r);
                }
            }
            default -> c.complete(r, SoErrno.EINVAL, "unknown socket call " + r.op);
        }
    }

    private void listen(NetCpu c, SockReq r) {
        Socket so = r.so;
        if (r.walk == 0) {
            Checks.Bad bad = Checks.listen(so, r.port);
            if (bad != null) {
                c.complete(r, bad.errno(), bad.why());
                return;
            }
            if (!so.host.ports.bind(r.port)) {
                c.complete(r, SoErrno.EADDRINUSE, "listen on " + so.host + " port " + r.port + ": the port is in use");
                return;
            }
            so.listener = new Listener(so, r.port, c.id, 0);
            so.lport = r.port;
        }
        Listener l = so.listener;
        listeners[c.id][so.host.index].putIfAbsent(l.port, l);
        walkOn(c, r, l.home);
    }

    /** Moves a listener walk to the next CPU, or replies when every CPU has been visited. */
    private void walkOn(NetCpu c, SockReq r, int home) {
        r.walk++;
        if (r.walk >= cpus.length) {
            if (r.op == SockReq.CLOSE) {
                r.so.host.ports.release(r.so.listener.port);
            }
            c.complete(r, SoErrno.OK, null);
            return;
        }
        c.crossCpu.incrementRelease();
        Lwkt.forwardmsg(cpus[(home + r.walk) % cpus.length].netisr.port(), r);
    }

    private void accept(NetCpu c, SockReq r) {
        Socket so = r.so;
        Listener l = so.listener;
        Checks.Bad bad = Checks.accept(so);
        if (bad != null) {
            c.complete(r, bad.errno(), bad.why());
            return;
        }
        Socket ready = l.queue.poll();
        if (ready != null) {
            l.unreserve();
            r.accepted = ready;
            c.complete(r, SoErrno.OK, null);
        } else {
            l.waiting.add(r);
        }
    }

    private void closeListener(NetCpu c, SockReq r) {
        Socket so = r.so;
        Listener l = so.listener;
        if (r.walk == 0) {
            if (so.userClosed) {
                c.complete(r, SoErrno.EBADF, "close of " + so + ", which is already closed");
                return;
            }
            so.userClosed = true;
            l.closed = true;
            SockReq w;
            while ((w = l.waiting.poll()) != null) {
                c.complete(w, SoErrno.ECONNABORTED, "accept on " + so + " aborted: the listening socket was closed");
            }
            Socket q;
            while ((q = l.queue.poll()) != null) {
                sendCtl(c, q, NetCtl.ABORT, null);
            }
        }
        listeners[c.id][so.host.index].remove(l.port, l);
        walkOn(c, r, l.home);
    }

    private void connect(NetCpu c, SockReq r) {
        Socket so = r.so;
        Tcpcb tp;
        if (!r.migrated) {
            tp = newConnection(c, r, 0);
            if (tp == null) {
                return;
            }
            int rss = tp.rssCpu;
            if (rss != c.id) {
                // in_pcbconnect's 4-tuple belongs to another CPU: move the socket and its PCB there
                so.moveTo(rss);
                r.migrated = true;
                c.migrated.incrementRelease();
                c.crossCpu.incrementRelease();
                Lwkt.forwardmsg(cpus[rss].netisr.port(), r);
                return;
            }
        } else {
            tp = so.pcb;
            if (so.userClosed) {
                // closed while the connect was on its way here
                tp.host.ports.release(tp.lport);
                tp.flags &= ~Tcpcb.TF_OWNPORT;
                tp.detached = true;
                c.complete(r, SoErrno.ECONNABORTED, "connect on " + so + " aborted: the socket was closed");
                return;
            }
        }
        attach(c, tp);
        tcp.connect(c, tp, r);
    }

    /** The connection is this CPU's (the abort was routed to the port the recv was last sent to). */
    @Override
    boolean unparkRecv(NetCpu c, SockReq r) {
        return Tcp.unparkAborted(r);
    }

    // ------------------------------------------------------------------ control messages

    private void sendCtl(NetCpu c, Socket so, int kind, Listener l) {
        NetCtl k = so.ctl;
        k.kind = kind;
        k.listener = l;
        k.init(NullPort.get());
        int to = kind == NetCtl.HANDOFF ? l.home : so.cpu();
        if (to != c.id) {
            c.crossCpu.incrementRelease();
        }
        Lwkt.sendmsg(cpus[to].netisr.port(), k);
    }

    @Override
    void control(NetCpu c, NetCtl k) {
        if (k.kind == NetCtl.HANDOFF) {
            Listener l = k.listener;
            if (l.closed) {
                // nobody will accept it: its own CPU resets it
                k.kind = NetCtl.ABORT;
                int to = k.so.cpu();
                if (to != c.id) {
                    c.crossCpu.incrementRelease();
                }
                Lwkt.forwardmsg(cpus[to].netisr.port(), k);
                return;
            }
            Lwkt.replymsg(k, 0);
            SockReq w = l.waiting.poll();
            if (w != null) {
                l.unreserve();
                w.accepted = k.so;
                c.complete(w, SoErrno.OK, null);
            } else {
                l.queue.add(k.so);
            }
        } else if (k.kind == NetCtl.ABORT) {
            Lwkt.replymsg(k, 0);
            Tcpcb tp = k.so.pcb;
            if (tp != null && !tp.detached) {
                tcp.drop(c, tp, SoErrno.ECONNABORTED, "the listening socket was closed before accept", true);
            }
        } else {
            throw new IllegalArgumentException("unknown control message " + k);
        }
    }

    // ------------------------------------------------------------------ TcpEnv: everything is this CPU's

    @Override
    public void attach(NetCpu c, Tcpcb tp) {
        if (tp.rssCpu != c.id) {
            throw new IllegalStateException(tp + " belongs on cpu " + tp.rssCpu + ", not cpu " + c.id);
        }
        if (pcbs[c.id][tp.host.index].putIfAbsent(tp.key, tp) != null) {
            throw new IllegalStateException("cpu " + c.id + " already has a PCB for " + tp);
        }
    }

    @Override
    public void detach(NetCpu c, Tcpcb tp) {
        pcbs[c.id][tp.host.index].remove(tp.key, tp);
    }

    @Override
    public void arm(NetCpu c, Callout co, long deadline) {
        co.wheel.arm(co, deadline);
    }

    @Override
    public void cancel(NetCpu c, Callout co) {
        co.wheel.cancel(co);
    }

    @Override
    public void established(NetCpu c, Tcpcb tp) {
        Listener l = tp.listener;
        tp.listener = null;
        sendCtl(c, tp.so, NetCtl.HANDOFF, l);
    }

    @Override
    void runTimers(NetCpu c, long now) {
        CalloutWheel w = c.wheel;
        int n = w.collect(now);
        for (int i = 0; i < n; i++) {
            Callout co = w.due[i];
            long at = w.dueAt[i];
            w.due[i] = null;
            if (co.deadline == at) {
                co.deadline = 0;
                tcp.timer(c, co.tp, co.kind);
            }
        }
    }

    @Override
    void drainAckQueue(NetCpu c) {
        for (int i = 0; i < c.ackqLen; i++) {
            Tcpcb tp = c.ackq[i];
            c.ackq[i] = null;
            tcp.rollupOne(c, tp);
        }
        c.ackqLen = 0;
    }

    // ------------------------------------------------------------------ shutdown

    @Override
    void shutdownCpu(NetCpu c) {
        for (int h = 0; h < 2; h++) {
            pcbs[c.id][h].forEach(tp -> {
                freedAtShutdown.merge(Tcpcb.stateName(tp.state), 1, Integer::sum);
                tcp.close(c, tp, SoErrno.ESHUTDOWN, "the kernel is shutting down");
            });
            listeners[c.id][h].forEach(l -> {
                if (l.home == c.id) {
                    SockReq w;
                    while ((w = l.waiting.poll()) != null) {
                        c.complete(w, SoErrno.ESHUTDOWN, "accept on " + l.so + ": the kernel is shutting down");
                    }
                    l.queue.clear();
                }
                listeners[c.id][l.host.index].remove(l.port, l);
            });
        }
        for (int i = 0; i < c.ackqLen; i++) {
            c.ackq[i] = null;
        }
        c.ackqLen = 0;
        freeRings(c);
        c.flush();
    }

}
