package org.lwktlab.netisr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.KernelConfig;
import org.lwktlab.lwkt.ShutdownReport;
import org.lwktlab.netisr.load.Acceptor;
import org.lwktlab.netisr.load.AppThread;
import org.lwktlab.netisr.load.Outcomes;
import org.lwktlab.netisr.load.StreamSender;
import org.lwktlab.netisr.load.StreamSink;

/**
 * 1,000 concurrent connections each send a checksummed stream over a wire that loses, reorders and
 * duplicates 5% of frames (seeded): every byte must arrive exactly once, in order, in both designs.
 */
class LossyWireTest {
    static final int CONNECTIONS = 1000;
    static final int STREAM = 3000;

    @ParameterizedTest
    @EnumSource(NetDesign.class)
    void everyStreamArrivesIntact(NetDesign d) throws Exception {
        Kernel k = Kernel.boot(KernelConfig.builder(2).name("lossy-" + d.id()).build());
        WireFaults faults = new WireFaults(0.05, 0.05, 4, 0.05, 0, 42);
        NetStack st = NetStack.boot(k, NetConfig.builder(d).faults(faults).rtoTicks(10).build(), 7);
        Outcomes clients = new Outcomes();
        Outcomes servers = new Outcomes();
        try {
            AppThread[] srv = AppThread.perCpu(st, "server");
            AppThread[] cli = AppThread.perCpu(st, "client");
            Acceptor acc = new Acceptor(st.server(), 9, srv, so -> new StreamSink(so, 2048, servers), false, servers);
            srv[0].start(acc);
            await("listen", acc::listening);
            for (int i = 0; i < CONNECTIONS; i++) {
                cli[i % cli.length].start(new StreamSender(st.client(), NetStack.SERVER_ADDR, 9, STREAM, 1024, i, clients));
            }
            await("every client to finish", () -> clients.ended() == CONNECTIONS && servers.ended() == CONNECTIONS);
            assertEquals(java.util.List.of(), clients.failures());
            assertEquals(java.util.List.of(), servers.failures());
            Map<Integer, Outcomes.Digest> sent = clients.digests();
            Map<Integer, Outcomes.Digest> got = servers.digests();
            assertEquals(CONNECTIONS, sent.size());
            assertEquals(sent, got, "every stream arrives whole, in order, exactly once");
            for (Outcomes.Digest dg : sent.values()) {
                assertEquals(STREAM, dg.bytes());
            }
            acc.close(new BlockingSockets(st, Duration.ofSeconds(10)));
            long dropped = counter(k, "lwkt_netisr_wire_dropped_total");
            long dups = counter(k, "lwkt_netisr_wire_duplicated_total");
            long reord = counter(k, "lwkt_netisr_wire_reordered_total");
            assertTrue(dropped > 100 && dups > 100 && reord > 100,
                    "the wire really was faulty: dropped " + dropped + ", duplicated " + dups + ", reordered " + reord);
            assertTrue(counter(k, "lwkt_netisr_rexmt_timeouts_total") > 0, "losses were repaired by retransmission");
            System.out.println(d + ": dropped " + dropped + " dup " + dups + " reordered " + reord + " rexmt " + counter(k, "lwkt_netisr_rexmt_timeouts_total") + " dupsegs " + counter(k, "lwkt_netisr_dup_segments_total") + " ooo " + counter(k, "lwkt_netisr_ooo_segments_total") + " rx " + counter(k, "lwkt_netisr_rx_packets_total") + " acks " + counter(k, "lwkt_netisr_acks_sent_total") + "/" + counter(k, "lwkt_netisr_ack_requests_total") + " migr " + counter(k, "lwkt_netisr_connect_migrations_total")+ " fwd " + counter(k, "lwkt_netisr_forwarded_total"));
        } finally {
            st.close();
            ShutdownReport r = k.shutdown();
            assertTrue(r.clean(), r.toString());
            assertEquals(0, r.handlerErrors(), r.toString());
        }
        assertEquals(0, st.liveChunks(), "no frame leaked");
    }

    static long counter(Kernel k, String name) {
        long sum = 0;
        for (var s : k.probes().series()) {
            if (s.id().name().equals(name) && s instanceof org.lwktlab.metrics.probe.ProbeSeries.Counter c) {
                sum += c.value();
            }
        }
        return sum;
    }

    static void await(String what, java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 60 s waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
