package org.lwktlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BenchReportTest {
    private static final MachineNote MACHINE = new MachineNote(2, "test cpu", "25", "linux", false, "1 1 1", "1 1 1",
            "2026-01-01T00:00Z", "bin/lab bench --quick", "1 fork");

    private static Measured row(String benchmark, double score, double bytesPerOp, String... params) {
        TreeMap<String, String> p = new TreeMap<>();
        for (int i = 0; i < params.length; i += 2) {
            p.put(params[i], params[i + 1]);
        }
        return new Measured(benchmark, p, score, "ns/op", Map.of(Measured.ALLOC_NORM, bytesPerOp), 5);
    }

    private static Measured oneWay(String variant, double messagesPerSecond) {
        return new Measured("OneWayThroughput." + variant, new TreeMap<>(), messagesPerSecond / 256, "ops/s",
                Map.of(Measured.MESSAGES, messagesPerSecond, Measured.ALLOC_NORM, 0.0), 5);
    }

    private static BenchReport.Target target(BenchReport r, String startsWith) {
        return r.targets().stream().filter(t -> t.name().startsWith(startsWith)).findFirst()
                .orElseThrow(() -> new AssertionError("no target " + startsWith + " in " + r.targets()));
    }

    private static List<Measured> slabRows(double messageCasRemoteBytes) {
        List<Measured> rows = new ArrayList<>();
        rows.add(row("SlabAllocFree.local", 10, 0, "design", "message"));
        rows.add(row("SlabAllocFree.local", 12, 0, "design", "message-cas"));
        rows.add(row("SlabAllocFree.local", 20, 0, "design", "mutex"));
        rows.add(row("SlabAllocFree.local", 16, 0, "design", "mutex-striped"));
        rows.add(row("SlabAllocFree.local", 40, 80, "design", "jvm"));
        rows.add(row("SlabAllocFree.remoteFree", 50, 0, "design", "message"));
        rows.add(row("SlabAllocFree.remoteFree", 60, messageCasRemoteBytes, "design", "message-cas"));
        return rows;
    }

    @Test
    void slabRowsAreComparedWithJvmAndTheBetterMutexDesignOfTheSameRun() {
        String md = new BenchReport(slabRows(0)).markdown(MACHINE);
        assertTrue(md.contains("| message | 10.0 | 0.250× | 0.625× | 0.00 |"), md);
        assertTrue(md.contains("| jvm | 40.0 | 1.00× | 2.50× | 80.00 |"), md);
        // remoteFree has no jvm or mutex row in this run: no ratio is invented
        assertTrue(md.contains("| message | 50.0 | — | — | 0.00 |"), md);
    }

    @Test
    void aPathThatCountsItsOwnThreadsIsJudgedByThemAndOthersByEveryThread() {
        Measured local = row("MessagePaths.localDomsg", 30, 0);
        java.util.function.DoubleFunction<Measured> external = own -> new Measured("MessagePaths.externalDomsg",
                new TreeMap<>(), 50_000, "ns/op", Map.of(Measured.ALLOC_NORM, 1.0, Measured.THREAD_BYTES_PER_OP, own), 5);
        String zero = "0 B/op for send";
        BenchReport.Target met = target(new BenchReport(List.of(local, external.apply(0.03))), zero);
        assertEquals(BenchReport.Status.MET, met.status(), met.figure());
        assertTrue(met.figure().contains("threadBytesPerOp"), met.figure());
        BenchReport.Target missed = target(new BenchReport(List.of(local, external.apply(16))), zero);
        assertEquals(BenchReport.Status.MISSED, missed.status(), missed.figure());
        BenchReport.Target allThreads = target(new BenchReport(List.of(row("MessagePaths.localDomsg", 30, 2))), zero);
        assertEquals(BenchReport.Status.MISSED, allThreads.status(), "without threadBytesPerOp, -prof gc decides");
    }

    @Test
    void slabZeroAllocationTargetIsMetOnlyWhenEveryPerCpuDesignAllocatesNothing() {
        assertEquals(BenchReport.Status.MET, target(new BenchReport(slabRows(0)), "0 B/op for slab").status());
        BenchReport.Target missed = target(new BenchReport(slabRows(24)), "0 B/op for slab");
        assertEquals(BenchReport.Status.MISSED, missed.status());
        assertTrue(missed.figure().contains("24.00") && missed.figure().contains("message-cas"), missed.figure());
        assertEquals(BenchReport.Status.NOT_MEASURED, target(new BenchReport(List.of()), "0 B/op for slab").status());
    }

    @Test
    void throughputTargetsAreRatiosAgainstPeersOfTheSameRun() {
        BenchReport r = new BenchReport(List.of(oneWay("ipiFabric", 60e6), oneWay("jctoolsSpsc", 100e6),
                oneWay("arrayBlockingQueue", 15e6)));
        BenchReport.Target jc = target(r, "IPI one-way throughput (IpiFabric");
        assertEquals(BenchReport.Status.MET, jc.status());
        assertEquals("0.600×", jc.figure());
        BenchReport.Target abq = target(r, "IPI one-way throughput ≥ 5×");
        assertEquals(BenchReport.Status.MISSED, abq.status());
        assertEquals("4.00×", abq.figure());
        assertEquals(BenchReport.Status.NOT_MEASURED, target(r, "IPI round trip").status());
    }

    /** A ProbeOverhead row whose median round reads {@code onOff} and whose time sums read 0.05 less. */
    private static Measured probes(String workload, double onOff) {
        return new Measured("ProbeOverhead." + workload, new TreeMap<>(), 1e6, "ops/s",
                Map.of(Measured.ON_OFF_ROUNDS, onOff, Measured.ON_OFF, onOff - 0.05, Measured.ON_RATE, 1e6 * onOff,
                        Measured.OFF_RATE, 1e6), 5);
    }

    @Test
    void probeOverheadTargetTakesTheWorstMedianRoundOfTheIssuesWorkloads() {
        BenchReport r = new BenchReport(List.of(probes("pingpongIpi", 0.97), probes("sharedUpdateMessage", 0.90),
                probes("pingpongLocalMessage", 0.80)));
        BenchReport.Target t = target(r, "Instrumentation overhead");
        assertEquals(BenchReport.Status.MISSED, t.status());
        assertTrue(t.figure().contains("0.900") && t.figure().contains("sharedUpdateMessage"), t.figure());
        String md = r.markdown(new MachineNote(2, "cpu", "25", "linux", false, "1", "1", "t", "bin/lab bench", "1 fork"));
        assertTrue(md.contains("| pingpongLocalMessage | 800 k | 1.00 M | 0.800× | 0.750× |"), md);
    }

    @Test
    void theLocalPingPongIsShownButNotHeldToTheTarget() {
        BenchReport r = new BenchReport(List.of(probes("pingpongIpi", 0.99), probes("pingpongMessage", 0.96),
                probes("sharedUpdateMessage", 1.01), probes("pingpongLocalMessage", 0.80)));
        BenchReport.Target t = target(r, "Instrumentation overhead");
        assertEquals(BenchReport.Status.MET, t.status());
        assertTrue(t.figure().contains("0.960") && t.figure().contains("pingpongMessage"), t.figure());
    }

    @Test
    void aPipeInTheCommandDoesNotBreakTheMachineTable() {
        MachineNote m = new MachineNote(2, "cpu", "25", "linux", false, "1", "1", "t",
                "bin/lab bench --filter RoundTrip\\|SlabAllocFree", "1 fork");
        String md = new BenchReport(List.of()).markdown(m);
        assertTrue(md.contains("| command | `bin/lab bench --filter RoundTrip\\\\|SlabAllocFree` |"), md);
    }

    @Test
    void badCommandLinesAreRefusedNamingTheValidOptions() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> BenchOptions.parse(List.of("--fast")));
        assertTrue(unknown.getMessage().contains("'--fast'") && unknown.getMessage().contains("--quick"),
                unknown.getMessage());
        IllegalArgumentException regex = assertThrows(IllegalArgumentException.class,
                () -> BenchOptions.parse(List.of("--filter", "Round(")));
        assertTrue(regex.getMessage().contains("not a valid regular expression"), regex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of("--out")));
        BenchOptions quick = BenchOptions.parse(List.of("--quick", "--filter=SlabAllocFree"));
        assertEquals(1, quick.forks());
        assertEquals("SlabAllocFree", quick.include());
    }
}
