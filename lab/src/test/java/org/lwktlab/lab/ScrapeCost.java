package org.lwktlab.lab;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import org.HdrHistogram.Histogram;
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

/**
 * A measurement, not a test: what one scrape of {@code /metrics} and one sampler tick cost for a kernel
 * of N CPUs with two thread ports per CPU, while messages flow. Prints medians and p99s; docs/metrics.md
 * ("Cost") reports them. Not a test (no assertion on timing): surefire's name patterns do not pick it up.
 *
 * <pre>
 * bin/lab list > /dev/null   # builds lab/target/lwkt-lab-all.jar
 * mvn -q -B -pl lab -am test-compile
 * "$JAVA_HOME/bin/java" --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
 *      -cp lab/target/lwkt-lab-all.jar:lab/target/test-classes org.lwktlab.lab.ScrapeCost 4 16
 * </pre>
 */
public final class ScrapeCost {
    private ScrapeCost() {}

    public static void main(String[] args) throws Exception {
        for (String a : args.length == 0 ? new String[] {"4", "16"} : args) {
            measure(Integer.parseInt(a));
        }
    }

    private static void measure(int cpus) throws Exception {
        ProbeRegistry reg = ProbeRegistry.inMemory(16384, Labels.of("experiment", "scrape-cost", "design", "message"));
        ProbeSampler sampler = ProbeSampler.start(reg, ProbeSampler.Options.defaults());
        Kernel k = Kernel.boot(KernelConfig.builder(cpus).pin(KernelConfig.Pin.OFF).probeRegistry(reg).latencySampleEvery(Integer.getInteger("sample", 64)).build());
        try (MetricsServer server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0))) {
            LwktThread[] echo = new LwktThread[cpus];
            for (int c = 0; c < cpus; c++) {
                echo[c] = k.spawn(c, "echo" + c, m -> Lwkt.replymsg(m, Errno.OK));
                k.spawn(c, "idle" + c, m -> Lwkt.replymsg(m, Errno.OK));
            }
            Thread load = Thread.ofPlatform().daemon().start(() -> {
                int c = 0;
                while (!Thread.currentThread().isInterrupted()) {
                    Lwkt.domsg(echo[c].port(), new Message(WaitPort.get()));
                    c = (c + 1) % cpus;
                }
            });
            server.bind(sampler, false);
            String text = server.scrape();
            long series = text.lines().filter(l -> !l.startsWith("#")).count();
            long lwkt = text.lines().filter(l -> l.startsWith("lwkt_")).count();
            Histogram scrape = new Histogram(3);
            Histogram http = new Histogram(3);
            Histogram tick = new Histogram(3);
            Histogram scrapeCpu = new Histogram(3);
            Histogram tickCpu = new Histogram(3);
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest get = HttpRequest.newBuilder(URI.create(server.uri().toString())).GET().build();
            for (int i = 0; i < 1200; i++) {
                long c0 = mx.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                server.scrape();
                long t1 = System.nanoTime();
                long c1 = mx.getCurrentThreadCpuTime();
                client.send(get, HttpResponse.BodyHandlers.discarding());
                long c2 = mx.getCurrentThreadCpuTime();
                long t2 = System.nanoTime();
                sampler.sampleNow();
                long t3 = System.nanoTime();
                long c3 = mx.getCurrentThreadCpuTime();
                if (i >= 200) { // warm-up
                    scrape.recordValue(t1 - t0);
                    http.recordValue(t2 - t1);
                    tick.recordValue(t3 - t2);
                    scrapeCpu.recordValue(Math.max(1, c1 - c0));
                    tickCpu.recordValue(Math.max(1, c3 - c2));
                }
            }
            load.interrupt();
            load.join();
            System.out.printf(Locale.ROOT, "cpus=%d: %d samples (%d lwkt_) in %d bytes%n"
                            + "  scrape: wall p50 %.2f ms p99 %.2f ms, thread CPU p50 %.2f ms%n"
                            + "  HTTP GET (client side): wall p50 %.2f ms%n"
                            + "  sampler tick (%d gauges, %d marks): wall p50 %.1f us p99 %.1f us, thread CPU p50 %.1f us%n",
                    cpus, series, lwkt, text.length(), scrape.getValueAtPercentile(50) / 1e6,
                    scrape.getValueAtPercentile(99) / 1e6, scrapeCpu.getValueAtPercentile(50) / 1e6,
                    http.getValueAtPercentile(50) / 1e6, sampler.depths().size(), sampler.marks().size(),
                    tick.getValueAtPercentile(50) / 1e3, tick.getValueAtPercentile(99) / 1e3,
                    tickCpu.getValueAtPercentile(50) / 1e3);
        } finally {
            k.shutdown();
            sampler.close();
        }
    }
}
