package org.lwktlab.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Turns one run's {@link Measured} results into the markdown {@code bin/lab bench} writes: a table per
 * benchmark class with every row's median beside its peer's and their ratio, then the DESIGN §6
 * targets, each met or missed with its figure.
 *
 * <p>Every ratio compares two rows of the same run. A row or target whose benchmarks were filtered out
 * says so instead of inventing a number.
 */
public final class BenchReport {
    /**
     * Below this many bytes per operation a path counts as allocation-free: one allocation is at least
     * 16 bytes, so this is fewer than one object per 32 operations — what the JVM and JMH allocate in
     * the background, spread over the operations, not the path itself.
     */
    public static final double ZERO_ALLOC_BYTES = 0.5;

    static final String ONE_WAY = "OneWayThroughput";
    static final String ROUND_TRIP = "RoundTrip";
    static final String PATHS = "MessagePaths";
    static final String SHARED = "SharedUpdate";
    static final String PROBES = "ProbeOverhead";
    static final String SLAB = "SlabAllocFree";
    /** The {@code ProbeOverhead} workloads, each measured with probes on and off. */
    static final List<String> PROBE_WORKLOADS = List.of("pingpongIpi", "pingpongMessage", "pingpongLocalMessage",
            "sharedUpdateMessage");
    /** Of those, the ones the [metrics] issue holds to the target: ipi-pingpong (both designs) and shared-update. */
    static final List<String> PROBE_TARGET_WORKLOADS = List.of("pingpongIpi", "pingpongMessage", "sharedUpdateMessage");
    /** The slab designs whose steady state must allocate nothing on the Java heap. */
    static final List<String> PER_CPU_SLABS = List.of("message", "message-cas");

    /** A DESIGN §6 target as this run measured it. */
    public record Target(String name, String figure, String threshold, Status status) {}

    /** Whether a target was met. */
    public enum Status {
        MET("met"), MISSED("**missed**"), NOT_MEASURED("not measured in this run");

        final String text;

        Status(String text) {
            this.text = text;
        }
    }

    private final List<Measured> results;

    public BenchReport(List<Measured> results) {
        this.results = List.copyOf(results);
    }

    // ------------------------------------------------------------------ lookup

    private Optional<Measured> find(String benchmark, Predicate<Measured> where) {
        return results.stream().filter(m -> m.benchmark().equals(benchmark) && where.test(m)).findFirst();
    }

    private Optional<Measured> find(String benchmark) {
        return find(benchmark, m -> true);
    }

    private List<Measured> all(String benchmark) {
        return results.stream().filter(m -> m.benchmark().equals(benchmark)).toList();
    }

    /** Messages per second of a one-way group (its {@code messages} counter). */
    static double messagesPerSecond(Measured m) {
        return m.secondary(Measured.MESSAGES);
    }

    /** Bytes allocated per message of a one-way group: per-invocation bytes times invocations per message. */
    static double bytesPerMessage(Measured m) {
        double msgs = messagesPerSecond(m);
        return msgs > 0 ? m.allocPerOp() * m.score() / msgs : Double.NaN;
    }

    // ------------------------------------------------------------------ the document

    /** The whole markdown document: machine, tables, targets. */
    public String markdown(MachineNote machine) {
        StringBuilder sb = new StringBuilder();
        sb.append("# LWKT Lab benchmarks\n\n");
        machine(sb, machine);
        targets(sb);
        oneWay(sb);
        roundTrip(sb);
        paths(sb);
        sharedUpdate(sb);
        slab(sb);
        probes(sb);
        ResearchTables.provenance(results, sb);
        ResearchTables.chains(results, sb);
        others(sb);
        return sb.toString();
    }

    private static void machine(StringBuilder sb, MachineNote m) {
        sb.append("| | |\n|---|---|\n");
        // a pipe in the command (a --filter alternation) would end the table cell: GFM's escape keeps it
        sb.append("| command | `").append(m.command().replace("|", "\\|")).append("` |\n");
        sb.append("| started | ").append(m.started()).append(" |\n");
        sb.append("| machine | ").append(m.cores()).append(" cores, ").append(m.cpuModel()).append(" |\n");
        sb.append("| JDK | ").append(m.jdk()).append(" |\n");
        sb.append("| OS | ").append(m.os()).append(" |\n");
        sb.append("| pinned | ").append(m.pinned() ? "yes (--pin): kernel CPUs and benchmark threads pinned to cores"
                : "no: every thread floats (bin/lab bench --pin pins them)").append(" |\n");
        sb.append("| load average (1, 5, 15 min) | before: ").append(m.loadBefore()).append("; after: ")
                .append(m.loadAfter()).append(" |\n");
        sb.append("| JMH settings | ").append(m.settings()).append(" |\n\n");
        sb.append("Figures are medians over every measured iteration of every fork; a ratio divides two medians "
                + "from this run. B/op is JMH's `gc.alloc.rate.norm` (`-prof gc`, all threads).\n\n");
    }

    // ------------------------------------------------------------------ one-way throughput

    private void oneWay(StringBuilder sb) {
        List<String> order = List.of("ipiFabric", "ipiQueue", "jctoolsSpsc", "agronaSpsc", "disruptor",
                "arrayBlockingQueue", "linkedTransferQueue");
        List<Measured> rows = ordered(ONE_WAY, order);
        if (rows.isEmpty()) {
            return;
        }
        sb.append("## One-way hand-off throughput (`OneWayThroughput`)\n\n");
        sb.append("Producer thread to consumer thread over a 256-entry ring, bursts of 256, batched drain; "
                + "messages received per second (higher is better).\n\n");
        sb.append("| variant | messages/s | × JCTools SPSC | × ArrayBlockingQueue | B/msg |\n|---|---:|---:|---:|---:|\n");
        double jc = find(ONE_WAY + ".jctoolsSpsc").map(BenchReport::messagesPerSecond).orElse(Double.NaN);
        double abq = find(ONE_WAY + ".arrayBlockingQueue").map(BenchReport::messagesPerSecond).orElse(Double.NaN);
        for (Measured m : rows) {
            double v = messagesPerSecond(m);
            sb.append("| ").append(shortName(m)).append(" | ").append(rate(v)).append(" | ").append(ratio(v, jc))
                    .append(" | ").append(ratio(v, abq)).append(" | ").append(bytes(bytesPerMessage(m))).append(" |\n");
        }
        sb.append('\n');
    }

    // ------------------------------------------------------------------ round trips

    private void roundTrip(StringBuilder sb) {
        List<String> order = List.of("cacheLine", "jctoolsSpsc", "ipiQueue", "ipiFabric", "ipiKernel", "lwktMessage");
        List<Measured> rows = ordered(ROUND_TRIP, order);
        if (rows.isEmpty()) {
            return;
        }
        sb.append("## Round trip between two cores (`RoundTrip`)\n\n");
        sb.append("One entry each way, ns per round trip (lower is better). `cacheLine` is the machine's limit: "
                + "two cache-line transfers and nothing else.\n\n");
        sb.append("| variant | ns/round trip | × cacheLine | B/op |\n|---|---:|---:|---:|\n");
        double limit = find(ROUND_TRIP + ".cacheLine").map(Measured::score).orElse(Double.NaN);
        for (Measured m : rows) {
            sb.append("| ").append(shortName(m)).append(" | ").append(nanos(m.score())).append(" | ")
                    .append(ratio(m.score(), limit)).append(" | ").append(bytes(m.allocPerOp())).append(" |\n");
        }
        sb.append('\n');
    }

    // ------------------------------------------------------------------ message paths

    private void paths(StringBuilder sb) {
        String[][] pairs = {{"externalDomsg", "executorSubmitGet"}, {"localDomsg", "plainCall"}};
        if (all(PATHS + "." + pairs[0][0]).isEmpty() && all(PATHS + "." + pairs[0][1]).isEmpty()
                && all(PATHS + "." + pairs[1][0]).isEmpty() && all(PATHS + "." + pairs[1][1]).isEmpty()) {
            return;
        }
        sb.append("## Message paths against what a Java programmer would write (`MessagePaths`)\n\n");
        sb.append("ns per request (lower is better).\n\n");
        sb.append("| path | ns/op | B/op | peer | peer ns/op | peer B/op | × peer |\n|---|---:|---:|---|---:|---:|---:|\n");
        for (String[] p : pairs) {
            Optional<Measured> a = find(PATHS + "." + p[0]);
            Optional<Measured> b = find(PATHS + "." + p[1]);
            double av = a.map(Measured::score).orElse(Double.NaN);
            double bv = b.map(Measured::score).orElse(Double.NaN);
            sb.append("| ").append(p[0]).append(" | ").append(nanos(av)).append(" | ")
                    .append(bytes(a.map(Measured::allocPerOp).orElse(Double.NaN))).append(" | ").append(p[1])
                    .append(" | ").append(nanos(bv)).append(" | ")
                    .append(bytes(b.map(Measured::allocPerOp).orElse(Double.NaN))).append(" | ")
                    .append(ratio(av, bv)).append(" |\n");
        }
        sb.append('\n');
        for (String[] p : pairs) {
            find(PATHS + "." + p[0]).filter(m -> !Double.isNaN(m.secondary(Measured.THREAD_BYTES_PER_OP)))
                    .ifPresent(m -> sb.append("B/op is what every thread of the JVM allocated per operation; `")
                            .append(p[0]).append("`'s own threads (kernel CPU and caller) allocated ")
                            .append(bytes(m.secondary(Measured.THREAD_BYTES_PER_OP)))
                            .append(" B/op (`threadBytesPerOp`).\n\n"));
        }
    }

    // ------------------------------------------------------------------ shared update

    private void sharedUpdate(StringBuilder sb) {
        List<Measured> mutex = all(SHARED + ".mutex");
        List<Measured> message = all(SHARED + ".message");
        if (mutex.isEmpty() && message.isEmpty()) {
            return;
        }
        sb.append("## Shared update: the lock portfolio against delegation by message (`SharedUpdate`)\n\n");
        sb.append("Every core updates `lines` shared cache lines; updates per second across the machine (higher is "
                + "better). The message design is compared with the **best** lock of the same `lines`.\n\n");
        Set<String> lineValues = new LinkedHashSet<>();
        mutex.forEach(m -> lineValues.add(m.params().get("lines")));
        message.forEach(m -> lineValues.add(m.params().get("lines")));
        for (String lines : lineValues) {
            sb.append("### lines = ").append(lines).append("\n\n");
            sb.append("| design | updates/s | × best lock | B/op |\n|---|---:|---:|---:|\n");
            List<Measured> locks = mutex.stream().filter(m -> m.has("lines", lines))
                    .sorted(Comparator.comparingDouble(Measured::score).reversed()).toList();
            double best = locks.isEmpty() ? Double.NaN : locks.getFirst().score();
            for (Measured m : locks) {
                sb.append("| mutex, ").append(m.params().get("lock")).append(" | ").append(rate(m.score())).append(" | ")
                        .append(ratio(m.score(), best)).append(" | ").append(bytes(m.allocPerOp())).append(" |\n");
            }
            for (Measured m : message.stream().filter(m -> m.has("lines", lines)).toList()) {
                sb.append("| message, window ").append(m.params().get("window")).append(" | ").append(rate(m.score()))
                        .append(" | ").append(ratio(m.score(), best)).append(" | ").append(bytes(m.allocPerOp()))
                        .append(" |\n");
            }
            sb.append('\n');
        }
    }

    // ------------------------------------------------------------------ slab

    private void slab(StringBuilder sb) {
        String[][] kinds = {{"local", "alloc 64 B, write/read a long, free, on the owning CPU (one-CPU kernel)"},
                {"remoteFree", "CPU 0 allocates the network-stack size mix, CPU 1 frees every chunk (RemoteFreeWorkload)"}};
        if (all(SLAB + ".local").isEmpty() && all(SLAB + ".remoteFree").isEmpty()) {
            return;
        }
        sb.append("## Slab allocator designs (`SlabAllocFree`)\n\n");
        sb.append("ns per chunk allocated and freed (lower is better), each design against `jvm` (a `byte[]` per "
                + "alloc) and the better of the two mutex designs, from the same run.\n\n");
        for (String[] k : kinds) {
            List<Measured> rows = all(SLAB + "." + k[0]);
            if (rows.isEmpty()) {
                continue;
            }
            sb.append("### ").append(k[0]).append(": ").append(k[1]).append("\n\n");
            sb.append("| design | ns/chunk | × jvm | × best mutex | B/op |\n|---|---:|---:|---:|---:|\n");
            double jvm = rows.stream().filter(m -> m.has("design", "jvm")).mapToDouble(Measured::score).findFirst()
                    .orElse(Double.NaN);
            double mutex = rows.stream().filter(m -> m.has("design", "mutex") || m.has("design", "mutex-striped"))
                    .mapToDouble(Measured::score).min().orElse(Double.NaN);
            for (Measured m : rows) {
                sb.append("| ").append(m.params().get("design")).append(" | ").append(nanos(m.score())).append(" | ")
                        .append(ratio(m.score(), jvm)).append(" | ").append(ratio(m.score(), mutex)).append(" | ")
                        .append(bytes(m.allocPerOp())).append(" |\n");
            }
            sb.append('\n');
        }
    }

    // ------------------------------------------------------------------ probes

    private void probes(StringBuilder sb) {
        List<String> names = PROBE_WORKLOADS;
        if (names.stream().allMatch(n -> all(PROBES + "." + n).isEmpty())) {
            return;
        }
        sb.append("## Instrumentation overhead (`ProbeOverhead`)\n\n");
        sb.append("Operations per second with every probe on and with them off (higher is better): one kernel per "
                + "workload, its probes switched by `Kernel.probes(boolean)` between the two halves of every round "
                + "(20,000 operations each, the order alternating); medians over the iterations. **on / off** is each "
                + "iteration's median of its rounds' ratios, the figure the target is judged on: at least 0.95 for "
                + "ipi-pingpong (`pingpongIpi`, `pingpongMessage`) and shared-update (`sharedUpdateMessage`); the local "
                + "message ping-pong is shown for what it tells. *time sums* is each iteration's total off time over "
                + "its total on time, which takes in every round an outside disturbance landed in (docs/metrics.md, "
                + "\"Probes on vs off\").\n\n");
        sb.append("| workload | probes on | probes off | on / off | on / off (time sums) | B/op (both) |\n"
                + "|---|---:|---:|---:|---:|---:|\n");
        for (String n : names) {
            Optional<Measured> m = find(PROBES + "." + n);
            sb.append("| ").append(n).append(" | ").append(rate(m.map(x -> x.secondary(Measured.ON_RATE)).orElse(Double.NaN)))
                    .append(" | ").append(rate(m.map(x -> x.secondary(Measured.OFF_RATE)).orElse(Double.NaN)))
                    .append(" | ").append(ratio(m.map(x -> x.secondary(Measured.ON_OFF_ROUNDS)).orElse(Double.NaN), 1))
                    .append(" | ").append(ratio(m.map(x -> x.secondary(Measured.ON_OFF)).orElse(Double.NaN), 1))
                    .append(" | ").append(bytes(m.map(Measured::allocPerOp).orElse(Double.NaN))).append(" |\n");
        }
        sb.append('\n');
    }

    // ------------------------------------------------------------------ anything else

    private void others(StringBuilder sb) {
        Set<String> known = Set.of(ONE_WAY, ROUND_TRIP, PATHS, SHARED, SLAB, PROBES, ResearchTables.PROVENANCE,
                ResearchTables.CHAINS);
        List<Measured> rest = results.stream().filter(m -> !known.contains(className(m))).toList();
        if (rest.isEmpty()) {
            return;
        }
        sb.append("## Other benchmarks\n\n| benchmark | params | median | B/op |\n|---|---|---:|---:|\n");
        for (Measured m : rest) {
            sb.append("| ").append(m.benchmark()).append(" | ").append(m.paramText()).append(" | ")
                    .append(num(m.score())).append(' ').append(m.unit()).append(" | ").append(bytes(m.allocPerOp()))
                    .append(" |\n");
        }
        sb.append('\n');
    }

    // ------------------------------------------------------------------ targets

    /** The DESIGN §6 targets, as this run measured them. */
    public List<Target> targets() {
        List<Target> t = new ArrayList<>();
        Optional<Measured> ipi = find(ONE_WAY + ".ipiFabric");
        t.add(atLeast("IPI one-way throughput (IpiFabric, batched drain) ≥ 0.5× raw JCTools SPSC",
                ipi.map(BenchReport::messagesPerSecond), find(ONE_WAY + ".jctoolsSpsc").map(BenchReport::messagesPerSecond), 0.5));
        t.add(atLeast("IPI one-way throughput ≥ 5× ArrayBlockingQueue",
                ipi.map(BenchReport::messagesPerSecond), find(ONE_WAY + ".arrayBlockingQueue").map(BenchReport::messagesPerSecond), 5));
        t.add(atMost("IPI round trip (IpiFabric) ≤ 1.3× raw cache-line ping-pong",
                find(ROUND_TRIP + ".ipiFabric").map(Measured::score), find(ROUND_TRIP + ".cacheLine").map(Measured::score), 1.3));
        t.add(zeroAlloc());
        t.add(slabZeroAlloc());
        t.add(probeOverhead());
        return t;
    }

    private void targets(StringBuilder sb) {
        sb.append("## Targets (DESIGN §6)\n\n| target | figure | threshold | status |\n|---|---|---|---|\n");
        for (Target t : targets()) {
            sb.append("| ").append(t.name()).append(" | ").append(t.figure()).append(" | ").append(t.threshold())
                    .append(" | ").append(t.status().text).append(" |\n");
        }
        sb.append('\n');
    }

    private static Target atLeast(String name, Optional<Double> a, Optional<Double> b, double min) {
        return ratioTarget(name, a, b, "≥ " + num(min) + "×", r -> r >= min);
    }

    private static Target atMost(String name, Optional<Double> a, Optional<Double> b, double max) {
        return ratioTarget(name, a, b, "≤ " + num(max) + "×", r -> r <= max);
    }

    private static Target ratioTarget(String name, Optional<Double> a, Optional<Double> b, String threshold,
                                      Predicate<Double> ok) {
        if (a.isEmpty() || b.isEmpty() || a.get().isNaN() || b.get().isNaN() || b.get() == 0) {
            return new Target(name, "—", threshold, Status.NOT_MEASURED);
        }
        double r = a.get() / b.get();
        return new Target(name, ratio(a.get(), b.get()), threshold, ok.test(r) ? Status.MET : Status.MISSED);
    }

    /** The message paths whose steady state must allocate nothing: send, handle, reply. */
    List<Measured> messagePaths() {
        List<Measured> p = new ArrayList<>();
        for (String n : List.of("ipiQueue", "ipiFabric", "ipiKernel", "lwktMessage")) {
            p.addAll(all(ROUND_TRIP + "." + n));
        }
        p.addAll(all(PATHS + ".externalDomsg"));
        p.addAll(all(PATHS + ".localDomsg"));
        p.addAll(all(SHARED + ".message"));
        p.addAll(all(PROBES + ".pingpongMessage"));
        p.addAll(all(PROBES + ".pingpongLocalMessage"));
        return p;
    }

    private Target zeroAlloc() {
        String name = "0 B/op for send, handle, reply in steady state (message paths, `-prof gc`)";
        String threshold = "< " + num(ZERO_ALLOC_BYTES) + " B/op";
        List<Measured> rows = new ArrayList<>(messagePaths().stream().filter(m -> !Double.isNaN(pathBytes(m))).toList());
        List<Measured> oneWay = new ArrayList<>();
        oneWay.addAll(all(ONE_WAY + ".ipiFabric"));
        oneWay.addAll(all(ONE_WAY + ".ipiQueue"));
        oneWay.removeIf(m -> Double.isNaN(bytesPerMessage(m)));
        rows.addAll(oneWay);
        if (rows.isEmpty()) {
            return new Target(name, "—", threshold, Status.NOT_MEASURED);
        }
        Measured worst = null;
        double max = -1;
        for (Measured m : rows) {
            double b = oneWay.contains(m) ? bytesPerMessage(m) : pathBytes(m);
            if (b > max) {
                max = b;
                worst = m;
            }
        }
        String how = !oneWay.contains(worst) && !Double.isNaN(worst.secondary(Measured.THREAD_BYTES_PER_OP))
                ? ", its own threads: `threadBytesPerOp`" : "";
        return new Target(name, "max " + bytes(max) + " B/op (" + label(worst) + how + ", of " + rows.size()
                + " benchmarks)", threshold, max < ZERO_ALLOC_BYTES ? Status.MET : Status.MISSED);
    }

    /**
     * A message path's bytes per operation: what its own threads allocated where the benchmark counts
     * that ({@code threadBytesPerOp}: a path of a few thousand operations a second would otherwise be
     * booked the JIT compiler's and JMH's allocations), else JMH's all-threads {@code gc.alloc.rate.norm}.
     */
    static double pathBytes(Measured m) {
        double own = m.secondary(Measured.THREAD_BYTES_PER_OP);
        return Double.isNaN(own) ? m.allocPerOp() : own;
    }

    /** The per-CPU slab designs' alloc/free, local and remote: nothing on the Java heap per chunk. */
    private Target slabZeroAlloc() {
        String name = "0 B/op for slab alloc/free in steady state (designs " + String.join(", ", PER_CPU_SLABS)
                + ", local and remote free, `-prof gc`)";
        String threshold = "< " + num(ZERO_ALLOC_BYTES) + " B/op";
        List<Measured> rows = new ArrayList<>();
        for (String n : List.of("local", "remoteFree")) {
            all(SLAB + "." + n).stream()
                    .filter(m -> PER_CPU_SLABS.contains(m.params().get("design")) && !Double.isNaN(m.allocPerOp()))
                    .forEach(rows::add);
        }
        if (rows.isEmpty()) {
            return new Target(name, "—", threshold, Status.NOT_MEASURED);
        }
        Measured worst = rows.stream().max(Comparator.comparingDouble(Measured::allocPerOp)).orElseThrow();
        return new Target(name, "max " + bytes(worst.allocPerOp()) + " B/op (" + label(worst) + ", of " + rows.size()
                + " benchmarks)", threshold, worst.allocPerOp() < ZERO_ALLOC_BYTES ? Status.MET : Status.MISSED);
    }

    private Target probeOverhead() {
        String name = "Instrumentation overhead: probes on / off ≥ 0.95 (ipi-pingpong, shared-update)";
        double worst = Double.NaN;
        String which = null;
        for (String n : PROBE_TARGET_WORKLOADS) {
            double r = find(PROBES + "." + n).map(m -> m.secondary(Measured.ON_OFF_ROUNDS)).orElse(Double.NaN);
            if (!Double.isNaN(r) && (Double.isNaN(worst) || r < worst)) {
                worst = r;
                which = n;
            }
        }
        if (Double.isNaN(worst)) {
            return new Target(name, "—", "≥ 0.95×", Status.NOT_MEASURED);
        }
        return new Target(name, "min " + String.format(Locale.ROOT, "%.3f", worst) + "× (" + which + ")", "≥ 0.95×",
                worst >= 0.95 ? Status.MET : Status.MISSED);
    }

    // ------------------------------------------------------------------ formatting

    private List<Measured> ordered(String clazz, List<String> order) {
        List<Measured> rows = new ArrayList<>();
        for (String n : order) {
            rows.addAll(all(clazz + "." + n));
        }
        for (Measured m : results) {
            if (className(m).equals(clazz) && !rows.contains(m)) {
                rows.add(m);
            }
        }
        return rows;
    }

    static String className(Measured m) {
        int dot = m.benchmark().lastIndexOf('.');
        return dot < 0 ? m.benchmark() : m.benchmark().substring(0, dot);
    }

    private static String shortName(Measured m) {
        String n = m.benchmark().substring(m.benchmark().lastIndexOf('.') + 1);
        return m.params().isEmpty() ? n : n + " (" + m.paramText() + ")";
    }

    private static String label(Measured m) {
        return m.params().isEmpty() ? m.benchmark() : m.benchmark() + " " + m.paramText();
    }

    /** Three significant digits, no exponent. */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        double a = Math.abs(v);
        if (a >= 100 || a == 0) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** A rate with an SI prefix: {@code 45.2 M}. */
    static String rate(double perSecond) {
        if (Double.isNaN(perSecond)) {
            return "—";
        }
        if (perSecond >= 1e9) {
            return num(perSecond / 1e9) + " G";
        }
        if (perSecond >= 1e6) {
            return num(perSecond / 1e6) + " M";
        }
        if (perSecond >= 1e3) {
            return num(perSecond / 1e3) + " k";
        }
        return num(perSecond);
    }

    static String nanos(double ns) {
        return Double.isNaN(ns) ? "—" : num(ns);
    }

    static String ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b == 0) {
            return "—";
        }
        return num(a / b) + "×";
    }

    static String bytes(double b) {
        if (Double.isNaN(b)) {
            return "—";
        }
        return String.format(Locale.ROOT, "%.2f", Math.max(0, b));
    }
}
