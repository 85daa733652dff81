package org.lwktlab.netisr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.KernelConfig;
import org.lwktlab.lwkt.ShutdownReport;

/** Calls that cannot succeed fail at once with an error naming the problem — never a hang. */
class BadCallsTest {
    private Kernel kernel;
    private NetStack st;
    private BlockingSockets b;

    void boot(NetDesign d) {
        kernel = Kernel.boot(KernelConfig.builder(2).name("bad-" + d.id()).build());
        st = NetStack.boot(kernel, NetConfig.builder(d).build(), 3);
        // a generous bound: every call here must be answered at once; the bound only turns a hang into a failure
        b = new BlockingSockets(st, Duration.ofSeconds(5));
    }

    @AfterEach
    void down() {
        st.close();
        ShutdownReport r = kernel.shutdown();
        assertTrue(r.clean(), r.toString());
        assertEquals(0, r.handlerErrors(), r.toString());
    }

    private static NetException fails(int errno, String words, Runnable call) {
        NetException e = assertThrows(NetException.class, call::run);
        assertEquals(SoErrno.name(errno), SoErrno.name(e.errno()), e.getMessage());
        assertTrue(e.getMessage().contains(words), "message should say '" + words + "': " + e.getMessage());
        return e;
    }

    private Socket[] connectedPair(int port) {
        Socket l = b.socket(st.server());
        b.listen(l, port);
        Socket c = b.socket(st.client());
        b.connect(c, NetStack.SERVER_ADDR, port);
        return new Socket[] {c, b.accept(l), l};
    }

    @ParameterizedTest
    @EnumSource(NetDesign.class)
    void connectToNoListenerIsRefused(NetDesign d) {
        boot(d);
        Socket c = b.socket(st.client());
        fails(SoErrno.ECONNREFUSED, "nothing listens on 10.0.0.2:81", () -> b.connect(c, NetStack.SERVER_ADDR, 81));
        fails(SoErrno.ECONNREFUSED, "nothing listens", () -> b.send(c, new byte[1], 0, 1));
    }

    @ParameterizedTest
    @EnumSource(NetDesign.class)
    void sendAndRecvAfterCloseAreBadDescriptors(NetDesign d) {
        boot(d);
        Socket[] p = connectedPair(80);
        b.close(p[0]);
        fails(SoErrno.EBADF, "closed with close()", () -> b.send(p[0], new byte[10], 0, 10));
        fails(SoErrno.EBADF, "closed with close()", () -> b.recv(p[0], new byte[10], 0, 10));
        fails(SoErrno.EBADF, "already closed", () -> b.close(p[0]));
        // the peer sees end of stream, then may still close
        assertEquals(0, b.recv(p[1], new byte[10], 0, 10));
        assertEquals(0, b.recv(p[1], new byte[10], 0, 10), "end of stream stays end of stream");
        b.close(p[1]);
        b.close(p[2]);
    }

    @ParameterizedTest
    @EnumSource(NetDesign.class)
    void misusedSocketsAreRefused(NetDesign d) {
        boot(d);
        Socket[] p = connectedPair(80);
        Socket fresh = b.socket(st.client());
        fails(SoErrno.ENOTCONN, "not connected", () -> b.send(fresh, new byte[1], 0, 1));
        fails(SoErrno.ENOTCONN, "not connected", () -> b.recv(fresh, new byte[1], 0, 1));
        fails(SoErrno.EINVAL, "not listening", () -> b.accept(fresh));
        fails(SoErrno.EISCONN, "already connected", () -> b.connect(p[0], NetStack.SERVER_ADDR, 80));
        fails(SoErrno.EOPNOTSUPP, "listening", () -> b.send(p[2], new byte[1], 0, 1));
        Socket other = b.socket(st.server());
        fails(SoErrno.EADDRINUSE, "port 80: the port is in use", () -> b.listen(other, 80));
        fails(SoErrno.EINVAL, "ports are 1..65535", () -> b.listen(other, 70000));
        fails(SoErrno.EADDRNOTAVAIL, "connect to the other host", () -> b.connect(fresh, 0x0a000009, 80));
        fails(SoErrno.EADDRNOTAVAIL, "connect to the other host", () -> b.connect(fresh, NetStack.CLIENT_ADDR, 80));
        b.close(p[0]);
        b.close(p[1]);
        b.close(p[2]);
        fails(SoErrno.EBADF, "closed with close()", () -> b.accept(p[2]));
    }

    @ParameterizedTest
    @EnumSource(NetDesign.class)
    void closingAListenerAbortsWaitingAcceptsAndFreesThePort(NetDesign d) throws Exception {
        boot(d);
        Socket l = b.socket(st.server());
        b.listen(l, 90);
        var waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                b.accept(l);
                return "accepted";
            } catch (NetException e) {
                return SoErrno.name(e.errno()) + " " + e.getMessage();
            }
        });
        Thread.sleep(50);
        b.close(l);
        String outcome = waiting.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(outcome.startsWith("ECONNABORTED") && outcome.contains("listening socket was closed"), outcome);
        assertTrue(!st.server().ports().bound(90), "the listener's port is free again");
        Socket again = b.socket(st.server());
        b.listen(again, 90);
        b.close(again);
    }

    @ParameterizedTest
    @EnumSource(NetDesign.class)
    void closingWithUnreadDataResetsThePeer(NetDesign d) throws Exception {
        boot(d);
        Socket[] p = connectedPair(80);
        b.send(p[0], new byte[100], 0, 100);
        // the server closes without reading: the client gets a RST
        Thread.sleep(50);
        b.close(p[1]);
        long deadline = System.nanoTime() + 5_000_000_000L;
        NetException e = null;
        while (e == null && System.nanoTime() < deadline) {
            try {
                b.send(p[0], new byte[10], 0, 10);
                Thread.sleep(5);
            } catch (NetException x) {
                e = x;
            }
        }
        assertTrue(e != null && e.errno() == SoErrno.ECONNRESET && e.getMessage().contains("reset by peer"),
                "the client should see ECONNRESET, got " + e);
        b.close(p[0]);
        b.close(p[2]);
    }

    @ParameterizedTest
    @EnumSource(NetDesign.class)
    void callsAfterTheStackClosedAreRefused(NetDesign d) {
        boot(d);
        Socket s = b.socket(st.client());
        st.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.connect(s, NetStack.SERVER_ADDR, 80));
        assertTrue(e.getMessage().contains("network stack is closed"), e.getMessage());
    }
}
