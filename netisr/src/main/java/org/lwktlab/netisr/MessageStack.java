package org.lwktlab.netisr;

import java.util.ArrayList;
import java.util.function.LongSupplier;
import org.lwktlab.lwkt.Cpu;
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
 *   <li><b>listen</b> runs on the socket's CPU (the listener's home) and then visits every other
 *       netisr to enter the listener's {@link ListenReplica} for that CPU in its listen table
 *       (DragonFly replicates listen PCBs), replying from the last one. {@code close} of the listener
 *       walks the same way, clearing every replica.</li>
 *   <li>A <b>SYN</b> creates the connection on the CPU that received it — its RSS CPU. When the
 *       handshake completes, the socket joins that CPU's replica: a waiting {@code accept} there takes
 *       it, or it waits in that replica's queue. <b>accept</b> is served per CPU: the call goes to the
 *       netisr of the CPU it is made on (from outside the kernel: the home CPU) and takes a connection
 *       from that CPU's replica. So a connection and its accept cross no CPU when the server accepts on
 *       every CPU. A connection no accept on its own CPU has taken for a whole clock tick is handed
 *       ({@link NetCtl#HANDOFF}) to a CPU where an accept waits, so a server accepting on fewer CPUs
 *       is still served.</li>
 *   <li><b>connect</b> binds an ephemeral port on the socket's current CPU — by default one whose
 *       4-tuple hashes to that CPU ({@link RssLocalPort}); if the 4-tuple hashes to another CPU (with
 *       {@code lport=any}, or no such port was found), the socket moves there ({@code so_port}
 *       changes) and the connect is forwarded with the PCB. Calls that reach the old CPU later are
 *       forwarded on (stragglers, §9.18).</li>
 *   <li>Timers live on the owning CPU's wheel; owed ACKs go out in the netisr's end-of-batch rollup.</li>
 * </ul>
 */
final class MessageStack extends NetStack implements TcpEnv {
    /** pcbs[cpu][host]: connections by (faddr, fport, lport). */
    private final LongTable<Tcpcb>[][] pcbs;
    /** listeners[cpu][host]: listeners by port. */
    private final LongTable<Listener>[][] listeners;
    /** live[cpu]: the listen replicas CPU {@code cpu} holds (for the tick's accept balancing). */
    private final ArrayList<ListenReplica>[] live;

    @SuppressWarnings("unchecked")
    MessageStack(Kernel kernel, NetConfig config, Slab slab, LongSupplier nanoClock, long seed) {
        super(kernel, config, slab, nanoClock, seed);
        int n = kernel.ncpus();
        pcbs = new LongTable[n][2];
        listeners = new LongTable[n][2];
        live = new ArrayList[n];
        for (int c = 0; c < n; c++) {
            live[c] = new ArrayList<>();
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
        if (r.op == SockReq.ACCEPT) {
            // accept is served per CPU: by the netisr of the CPU the caller runs on
            Cpu cur = Lwkt.currentCpu();
            if (cur != null && cur.kernel() == kernel) {
                return cpus[cur.id()].netisr.port();
            }
        }
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
        if (r.walk == 0 && owner != c.id && r.op != SockReq.ACCEPT) {
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
            so.listener = new Listener(so, r.port, c.id, 0, cpus.length);
            so.lport = r.port;
        }
        Listener l = so.listener;
        ListenReplica rep = l.replica(c.id);
        rep.listening = true;
        live[c.id].add(rep);
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

    /**
     * {@code accept} on CPU {@code c}, the caller's. Away from the socket's home only this CPU's replica
     * is consulted: {@code so.listener} is written once, on the home CPU, before the listen walk reaches
     * any other CPU, so a CPU whose replica is listening sees it; a CPU that reads null, or whose
     * replica is not listening (the walk has not come yet, or the listener was closed, or the socket
     * never listened), sends the call home, where the checks answer it.
     */
    private void accept(NetCpu c, SockReq r) {
        Socket so = r.so;
        Listener l = so.listener;
        int home = so.cpu();
        if (c.id != home) {
            ListenReplica rep = l == null ? null : l.replica(c.id);
            if (rep == null || !rep.listening) {
                c.crossCpu.incrementRelease();
                Lwkt.forwardmsg(cpus[home].netisr.port(), r);
                return;
            }
            serveAccept(c, rep, r);
            return;
        }
        Checks.Bad bad = Checks.accept(so);
        if (bad != null) {
            c.complete(r, bad.errno(), bad.why());
            return;
        }
        serveAccept(c, l.replica(c.id), r);
    }

    /** Takes a connection from replica {@code rep} (CPU {@code c}'s) for {@code r}, or parks {@code r} there. */
    private static void serveAccept(NetCpu c, ListenReplica rep, SockReq r) {
        Socket ready = rep.dequeue();
        if (ready != null) {
            hand(c, rep, r, ready);
        } else {
            rep.park(r);
        }
    }

    /** Completes accept {@code r} with connection {@code so}, taken from (or meant for) replica {@code rep}. */
    private static void hand(NetCpu c, ListenReplica rep, SockReq r, Socket so) {
        rep.listener.unreserve();
        r.accepted = so;
        c.complete(r, SoErrno.OK, null);
    }

    /**
     * An established connection {@code so} joins replica {@code rep} (CPU {@code c}'s): a waiting accept
     * takes it, or it waits in the queue. If the listener was closed here meanwhile nobody will accept
     * it, and its own CPU resets it.
     */
    private void deliver(NetCpu c, ListenReplica rep, Socket so) {
        if (!rep.listening) {
            sendCtl(c, so, NetCtl.ABORT, null, so.cpu());
            return;
        }
        SockReq w = rep.unpark();
        if (w != null) {
            hand(c, rep, w, so);
        } else {
            rep.enqueue(so);
        }
    }

    /**
     * The clock tick's accept balancing on CPU {@code c}: the connections that have waited in one of its
     * replicas for a whole tick (no accept here took them) all go to the next CPU where an accept waits,
     * whose accepts then drain them without waiting for more ticks. A server that accepts on every CPU
     * takes its connections within microseconds, so none age and none move — moving a burst that its
     * own CPU's accept loop was about to take would put the connection's calls on the other CPU for
     * its whole life. A server accepting on fewer CPUs gets the others' connections one to two ticks
     * late.
     */
    @Override
    void balanceAccepts(NetCpu c) {
        ArrayList<ListenReplica> reps = live[c.id];
        for (int i = 0; i < reps.size(); i++) {
            ListenReplica rep = reps.get(i);
            int aged = rep.agedSinceLastTick();
            for (int j = 1; j < cpus.length && aged > 0; j++) {
                int to = (c.id + j) % cpus.length;
                if (rep.listener.replica(to).waiters() > 0) {
                    for (; aged > 0; aged--) {
                        c.acceptHandoffs.incrementRelease();
                        sendCtl(c, rep.dequeue(), NetCtl.HANDOFF, rep.listener, to);
                    }
                }
            }
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
        }
        ListenReplica rep = l.replica(c.id);
        rep.listening = false;
        live[c.id].remove(rep);
        SockReq w;
        while ((w = rep.unpark()) != null) {
            c.complete(w, SoErrno.ECONNABORTED, "accept on " + so + " aborted: the listening socket was closed");
        }
        Socket q;
        while ((q = rep.dequeue()) != null) {
            sendCtl(c, q, NetCtl.ABORT, null, q.cpu());
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

    /** Sends socket {@code so}'s control message (idle: {@code DONE}) of {@code kind} to CPU {@code to}. */
    private void sendCtl(NetCpu c, Socket so, int kind, Listener l, int to) {
        NetCtl k = so.ctl;
        k.kind = kind;
        k.listener = l;
        k.init(NullPort.get());
        if (to != c.id) {
            c.crossCpu.incrementRelease();
        }
        Lwkt.sendmsg(cpus[to].netisr.port(), k);
    }

    @Override
    void control(NetCpu c, NetCtl k) {
        if (k.kind == NetCtl.HANDOFF) {
            Lwkt.replymsg(k, 0);
            deliver(c, k.listener.replica(c.id), k.so);
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
        deliver(c, l.replica(c.id), tp.so);
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
                ListenReplica rep = l.replica(c.id);
                rep.listening = false;
                SockReq w;
                while ((w = rep.unpark()) != null) {
                    c.complete(w, SoErrno.ESHUTDOWN, "accept on " + l.so + ": the kernel is shutting down");
                }
                rep.queue.clear();
                listeners[c.id][l.host.index].remove(l.port, l);
            });
        }
        live[c.id].clear();
        for (int i = 0; i < c.ackqLen; i++) {
            c.ackq[i] = null;
        }
        c.ackqLen = 0;
        freeRings(c);
        c.flush();
    }

}
