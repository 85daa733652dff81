package org.lwktlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.KernelConfig;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.WaitPort;
import org.lwktlab.metrics.export.MetricsServer;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;
import org.lwktlab.metrics.sample.ProbeSampler;
import org.lwktlab.metrics.sample.ProbeWindow;

/**
 * Counters are exact: a known number of messages crosses every kind of hand-off point — IPI rings
 * (a client on CPU 0 sends to a server on every other CPU, which replies back), thread ports, and the
 * submission queues (a thread outside the kernel sends to every server) — and every probe on the way
 * counts exactly that many, as the results ({@link ProbeWindow}) and the live endpoint report them.
 */
class ProbeExactnessTest {
    private static final int CPUS = 4;
    private static final int N = 3000; // client -> each server, over the rings
    private static final int M = 400;  // outside thread -> each server, over the submission queues

    @Test
    void everyProbeCountsEveryMessageExactlyOnce() throws Exception {
        ProbeRegistry reg = ProbeRegistry.inMemory(16384, Labels.of("design", "message"));
        ProbeSampler sampler = ProbeSampler.start(reg, ProbeSampler.Options.defaults());
        Kernel k = Kernel.boot(KernelConfig.builder(CPUS).pin(KernelConfig.Pin.OFF).probeRegistry(reg)
                .perPairProbes(true).build());
        Map<String, Number> probes;
        String scrape;
        try (MetricsServer server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0))) {
            server.bind(sampler, true);
            LwktThread[] srv = new LwktThread[CPUS];
            for (int c = 0; c < CPUS; c++) {
                srv[c] = k.spawn(c, "srv" + c, m -> Lwkt.replymsg(m, Errno.OK));
            }
            AtomicLong replies = new AtomicLong();
            LwktThread client = k.spawn(0, "client", m -> {
                if (m.isReply()) {
                    replies.incrementAndGet();
                    return;
                }
                for (int i = 0; i < N; i++) {
                    for (int c = 1; c < CPUS; c++) {
                        Lwkt.sendmsg(srv[c].port(), new Message(Lwkt.curthread().port()));
                    }
                }
                Lwkt.replymsg(m, Errno.OK);
            });
            ProbeWindow window = ProbeWindow.begin(sampler);
            assertEquals(Errno.OK, Lwkt.domsg(client.port(), new Message(WaitPort.get())));
            List<Message> outside = new ArrayList<>();
            for (int i = 0; i < M; i++) {
                for (int c = 0; c < CPUS; c++) {
                    Message m = new Message(WaitPort.get());
                    Lwkt.sendmsg(srv[c].port(), m);
                    outside.add(m);
                }
            }
            for (Message m : outside) {
                assertEquals(Errno.OK, Lwkt.waitmsg(m));
            }
            awaitAtLeast("client replies", replies::get, (long) N * (CPUS - 1));

            Map<String, Long> expected = expected();
            // A port's dequeue count is published after its batch ran, so after the replies: wait for it.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (Map.Entry<String, Long> e : expected.entrySet()) {
                while (value(reg, e.getKey()) < e.getValue() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
            }
            Thread.sleep(50); // nothing more may arrive: an overshoot would show now
            window.end();
            probes = window.perProbe();
            scrape = server.scrape();
        } finally {
            assertTrue(k.shutdown().clean(), "kernel shut down clean");
            sampler.close();
        }

        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Long> e : expected().entrySet()) {
            Number got = probes.get(e.getKey());
            if (got == null || got.longValue() != e.getValue()) {
                wrong.add(e.getKey() + " = " + got + ", expected " + e.getValue());
            }
            String exported = e.getKey().replace("{", "{design=\"message\",");
            String line = scrape.lines().filter(l -> l.startsWith(sorted(exported) + " ")).findFirst().orElse(null);
            if (line == null || Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) != e.getValue()) {
                wrong.add("/metrics " + sorted(exported) + " = " + line + ", expected " + e.getValue());
            }
        }
        assertTrue(wrong.isEmpty(), "inexact probes:\n" + String.join("\n", wrong));
    }

    /** Every probe a message passes, with the count it must show after the run. */
    private static Map<String, Long> expected() {
        Map<String, Long> e = new LinkedHashMap<>();
        long fromClient = N;           // per server on CPUs 1..3
        long repliesToClient = (long) N * (CPUS - 1);
        for (int c = 0; c < CPUS; c++) {
            String cpu = "cpu=\"" + c + "\"";
            long requests = M + (c == 0 ? 0 : fromClient);
            String srv = "{" + cpu + ",port=\"srv" + c + "\"}";
            e.put("lwkt_port_enqueued_total" + srv, requests);
            e.put("lwkt_port_dequeued_total" + srv, requests);
            e.put("lwkt_port_per_run_sum" + srv, requests);
            e.put("lwkt_submission_enqueued_total{" + cpu + "}", (long) M + (c == 0 ? 1 : 0)); // + the kick-off
            e.put("lwkt_submission_dequeued_total{" + cpu + "}", (long) M + (c == 0 ? 1 : 0));
            long ipisIn = c == 0 ? repliesToClient : fromClient;
            e.put("lwkt_ipi_received_total{" + cpu + "}", ipisIn);
            e.put("lwkt_ipi_per_drain_sum{" + cpu + "}", ipisIn + M + (c == 0 ? 1 : 0));
            e.put("lwkt_cpu_handled_total{" + cpu + "}", requests + (c == 0 ? repliesToClient + 1 : 0));
            e.put("lwkt_ipi_sent_total{" + cpu + ",kind=\"active\"}", c == 0 ? repliesToClient : fromClient);
            e.put("lwkt_ipi_sent_total{" + cpu + ",kind=\"passive\"}", 0L);
            if (c != 0) {
                String to = "{from_cpu=\"0\",to_cpu=\"" + c + "\"}";
                String back = "{from_cpu=\"" + c + "\",to_cpu=\"0\"}";
                e.put("lwkt_ipi_ring_enqueued_total" + to, fromClient);
                e.put("lwkt_ipi_ring_dequeued_total" + to, fromClient);
                e.put("lwkt_ipi_ring_enqueued_total" + back, fromClient);
                e.put("lwkt_ipi_ring_dequeued_total" + back, fromClient);
            }
        }
        String client = "{cpu=\"0\",port=\"client\"}";
        e.put("lwkt_port_enqueued_total" + client, repliesToClient + 1);
        e.put("lwkt_port_dequeued_total" + client, repliesToClient + 1);
        e.put("lwkt_port_per_run_sum" + client, repliesToClient + 1);
        return e;
    }

    /** Prometheus writes labels sorted by name. */
    private static String sorted(String key) {
        int b = key.indexOf('{');
        String[] labels = key.substring(b + 1, key.length() - 1).split(",");
        java.util.Arrays.sort(labels);
        return key.substring(0, b + 1) + String.join(",", labels) + "}";
    }

    /** The current value of the series whose short key is {@code key}, summed for histograms' sums. */
    private static long value(ProbeRegistry reg, String key) {
        for (var s : reg.series()) {
            String k = org.lwktlab.metrics.sample.SeriesKey.of(s.id(), reg.commonLabels());
            if (s instanceof org.lwktlab.metrics.probe.ProbeSeries.Counter c && k.equals(key)) {
                return c.value();
            }
            if (s instanceof org.lwktlab.metrics.probe.ProbeSeries.FunctionCounter f && k.equals(key)) {
                return f.value();
            }
            if (s instanceof org.lwktlab.metrics.probe.ProbeSeries.Histogram h
                    && key.equals(k.replaceFirst("\\{", "_sum{"))) {
                return h.histogram().snapshot().sum();
            }
        }
        return Long.MAX_VALUE; // not registered: reported by the final comparison
    }

    private static void awaitAtLeast(String what, java.util.function.LongSupplier v, long want) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (v.getAsLong() < want) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what + " to reach " + want
                    + " (now " + v.getAsLong() + ")");
            Thread.sleep(2);
        }
    }
}
