package org.lwktlab.netisr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.KernelConfig;
import org.lwktlab.netisr.load.AppThread;
import org.lwktlab.netisr.load.Flow;

/**
 * The listen replicas and per-CPU accept of the message design, and the connect's choice of a local
 * port that hashes to its own CPU (both designs): a SYN on any CPU is accepted, an accept made on a CPU
 * is served there, connections reach an accept waiting on another CPU, closing the listener clears every
 * replica, and a connect lands its PCB on its own CPU without moving it.
 */
class ListenReplicaTest {
    private static final int PORT = 90;
    private Kernel kernel;
    private NetStack st;
    private BlockingSockets b;

    private void boot(NetConfig cfg) {
        kernel = Kernel.boot(KernelConfig.builder(2).name("replica-" + cfg.design().id()).build());
        st = NetStack.boot(kernel, cfg, 5);
        b = new BlockingSockets(st, Duration.ofSeconds(10));
    }

    @AfterEach
    void down() {
        CleanShutdown.of(st, kernel);
    }

    /** Accepts once on its app thread's CPU and records the result. */
    private static final class AcceptOnce extends Flow {
        final Socket listening;
        final ConcurrentLinkedQueue<AcceptOnce> done;
        volatile int cpu = -1;
        volatile Socket accepted;
        volatile int error;

        AcceptOnce(Socket listening, ConcurrentLinkedQueue<AcceptOnce> done) {
            this.listening = listening;
            this.done = done;
        }

        @Override
        protected void start() {
            cpu = app.cpu();
            req.accept(listening);
            call();
        }

        @Override
        protected void replied(SockReq r) {
            error = r.error();
            accepted = r.accepted();
            done.add(this);
        }
    }

    private Socket listen() {
        Socket l = st.socket(st.server(), 0);
        b.listen(l, PORT);
        return l;
    }

    /** A client socket on CPU {@code cpu}, connected to the listener. */
    private Socket connectFrom(int cpu) {
        Socket c = st.socket(st.client(), cpu);
        b.connect(c, NetStack.SERVER_ADDR, PORT);
        return c;
    }

    private void awaitWaiters(Socket l, int cpu, int n) throws InterruptedException {
        LossyWireTest.await(n + " accept(s) parked on cpu " + cpu, () -> l.listener.replica(cpu).waiters() == n);
    }

    /** Starts an {@link AcceptOnce} on the app thread of each CPU in {@code cpus}, each parked before the next. */
    private AcceptOnce[] parkAccepts(Socket l, ConcurrentLinkedQueue<AcceptOnce> done, int... cpus) throws InterruptedException {
        AppThread[] srv = AppThread.perCpu(st, "srv");
        AcceptOnce[] acc = new AcceptOnce[srv.length];
        for (int cpu : cpus) {
            acc[cpu] = new AcceptOnce(l, done);
            srv[cpu].start(acc[cpu]);
            awaitWaiters(l, cpu, 1);
        }
        return acc;
    }

    @ParameterizedTest
    @EnumSource(NetDesign.class)
    void aSynOnEitherCpuIsAcceptedByOneAcceptLoop(NetDesign d) {
        boot(NetConfig.builder(d).build());
        Socket l = listen();
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            clients.add(connectFrom(i % 2));
        }
        Set<Integer> clientPorts = new HashSet<>();
        for (Socket c : clients) {
            clientPorts.add(c.localPort());
        }
        // accepts from outside the kernel go to the listener's home (cpu 0) only
        Set<Integer> acceptedPorts = new HashSet<>();
        Set<Integer> acceptedCpus = new HashSet<>();
        List<Socket> servers = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            Socket s = b.accept(l);
            servers.add(s);
            acceptedPorts.add(s.remotePort());
            acceptedCpus.add(s.rssCpu());
        }
        assertEquals(clientPorts, acceptedPorts, "every connection was accepted, once");
        assertEquals(Set.of(0, 1), acceptedCpus, "connections whose SYN arrived on either CPU were accepted");
        if (d == NetDesign.MESSAGE) {
            assertTrue(LossyWireTest.counter(kernel, "lwkt_netisr_accept_handoffs_total") >= 10,
                    "cpu 1's connections reached cpu 0's accepts by hand-off");
        }
        for (Socket s : servers) {
            b.close(s);
        }
        for (Socket c : clients) {
            b.close(c);
        }
        b.close(l);
    }

    @Test
    void anAcceptIsServedOnTheCpuItIsMadeOn() throws Exception {
        boot(NetConfig.builder(NetDesign.MESSAGE).build());
        Socket l = listen();
        ConcurrentLinkedQueue<AcceptOnce> done = new ConcurrentLinkedQueue<>();
        AcceptOnce[] acc = parkAccepts(l, done, 0, 1);
        Socket c0 = connectFrom(0);
        Socket c1 = connectFrom(1);
        LossyWireTest.await("both accepts to return", () -> done.size() == 2);
        for (int cpu = 0; cpu < 2; cpu++) {
            assertEquals(0, acc[cpu].error);
            assertEquals(cpu, acc[cpu].accepted.rssCpu(), "the accept on cpu " + cpu + " took the connection born there");
        }
        assertEquals(c0.localPort(), acc[0].accepted.remotePort());
        assertEquals(c1.localPort(), acc[1].accepted.remotePort());
        assertEquals(0, LossyWireTest.counter(kernel, "lwkt_netisr_accept_handoffs_total"), "nothing crossed CPUs to be accepted");
        for (Socket so : new Socket[] {acc[0].accepted, acc[1].accepted, c0, c1, l}) {
            b.close(so);
        }
    }

    @Test
    void aConnectionReachesAnAcceptWaitingOnTheOtherCpu() throws Exception {
        boot(NetConfig.builder(NetDesign.MESSAGE).build());
        Socket l = listen();
        ConcurrentLinkedQueue<AcceptOnce> done = new ConcurrentLinkedQueue<>();
        AcceptOnce a = parkAccepts(l, done, 1)[1];
        Socket c = connectFrom(0); // born on cpu 0, where no accept waits
        LossyWireTest.await("the accept on cpu 1 to return", () -> done.size() == 1);
        assertEquals(0, a.error);
        assertEquals(0, a.accepted.rssCpu());
        assertEquals(c.localPort(), a.accepted.remotePort());
        assertEquals(1, LossyWireTest.counter(kernel, "lwkt_netisr_accept_handoffs_total"));
        // the accepted socket still lives on cpu 0: calls on it from anywhere reach it there
        byte[] msg = "hi".getBytes();
        b.send(c, msg, 0, 2);
        byte[] got = new byte[2];
        b.recvFully(a.accepted, got, 0, 2);
        assertEquals("hi", new String(got));
        b.close(a.accepted);
        b.close(c);
        b.close(l);
    }

    @Test
    void closingTheListenerAbortsTheAcceptsWaitingOnEveryCpu() throws Exception {
        boot(NetConfig.builder(NetDesign.MESSAGE).build());
        Socket l = listen();
        ConcurrentLinkedQueue<AcceptOnce> done = new ConcurrentLinkedQueue<>();
        parkAccepts(l, done, 0, 1);
        b.close(l);
        LossyWireTest.await("both accepts to be aborted", () -> done.size() == 2);
        Set<Integer> cpus = new HashSet<>();
        for (AcceptOnce a : done) {
            assertEquals(SoErrno.name(SoErrno.ECONNABORTED), SoErrno.name(a.error));
            cpus.add(a.cpu);
        }
        assertEquals(Set.of(0, 1), cpus);
        assertReplicasCleared(l);
    }

    @Test
    void closingTheListenerResetsTheConnectionsQueuedOnEveryCpu() throws Exception {
        boot(NetConfig.builder(NetDesign.MESSAGE).build());
        Socket l = listen();
        Socket c0 = connectFrom(0);
        Socket c1 = connectFrom(1);
        LossyWireTest.await("both connections to be queued on their CPUs",
                () -> l.listener.qlen() == 2);
        b.close(l);
        byte[] buf = new byte[4];
        for (Socket c : new Socket[] {c0, c1}) {
            NetException e = org.junit.jupiter.api.Assertions.assertThrows(NetException.class, () -> b.recv(c, buf, 0, 4));
            assertEquals(SoErrno.name(SoErrno.ECONNRESET), SoErrno.name(e.errno()), e.getMessage());
            b.close(c);
        }
        assertReplicasCleared(l);
        assertFalse(st.server().ports().bound(PORT), "the listener's port is free again");
        Socket late = st.socket(st.client(), 1);
        NetException e = org.junit.jupiter.api.Assertions.assertThrows(NetException.class,
                () -> b.connect(late, NetStack.SERVER_ADDR, PORT));
        assertEquals(SoErrno.name(SoErrno.ECONNREFUSED), SoErrno.name(e.errno()), "no replica answers a SYN any more");
    }

    private void assertReplicasCleared(Socket l) {
        for (int cpu = 0; cpu < 2; cpu++) {
            ListenReplica rep = l.listener.replica(cpu);
            assertFalse(rep.listening, "cpu " + cpu + "'s replica stopped listening");
            assertTrue(rep.queue.isEmpty() && rep.waiting.isEmpty(), "cpu " + cpu + "'s replica holds nothing");
            assertEquals(0, rep.waiters());
        }
    }

    @ParameterizedTest
    @EnumSource(NetDesign.class)
    void aConnectPicksALocalPortThatHashesToItsOwnCpu(NetDesign d) {
        boot(NetConfig.builder(d).build());
        Socket l = listen();
        List<Socket> all = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Socket c = connectFrom(i % 2);
            assertEquals(i % 2, c.rssCpu(), c + " hashes to the CPU it connected on");
            assertEquals(i % 2, c.cpu());
            all.add(c);
            all.add(b.accept(l));
        }
        assertEquals(0, LossyWireTest.counter(kernel, "lwkt_netisr_connect_migrations_total"), "no PCB had to move");
        for (Socket so : all) {
            b.close(so);
        }
        b.close(l);
    }

    @Test
    void withAnyLocalPortConnectsMoveThePcbAndStillSucceed() {
        boot(NetConfig.builder(NetDesign.MESSAGE).lportRss(false).build());
        Socket l = listen();
        List<Socket> all = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Socket c = connectFrom(i % 2);
            assertEquals(c.rssCpu(), c.cpu(), c + " lives where its packets arrive");
            all.add(c);
            all.add(b.accept(l));
        }
        assertTrue(LossyWireTest.counter(kernel, "lwkt_netisr_connect_migrations_total") > 0,
                "some 4-tuples hashed to the other CPU and their PCBs moved");
        for (Socket so : all) {
            b.close(so);
        }
        b.close(l);
    }
}
