package org.lwktlab.lab.run;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes a run's {@code results.json}, {@code runs.csv}, {@code summary.csv} and {@code comparisons.csv},
 * reads {@code results.json} back, and prints the console tables.
 */
public final class ResultsWriter {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ResultsWriter() {}

    /** The JSON mapper the results use (snake_case names). */
    public static ObjectMapper mapper() {
        return JSON;
    }

    /** Writes everything into {@code dir} (created if needed). */
    public static void write(RunResults r, Path dir) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve("results.json").toFile(), r);
        writeRunsCsv(r, dir.resolve("runs.csv"));
        writeSummaryCsv(r, dir.resolve("summary.csv"));
        writeComparisonsCsv(r, dir.resolve("comparisons.csv"));
    }

    /**
     * Reads a {@code results.json} (or the one in folder {@code file}).
     *
     * @throws IOException naming the file and what is wrong with it: missing, not JSON, not results, or a
     *                     newer schema than this build reads
     */
    public static RunResults read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            file = file.resolve("results.json");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("no results.json at " + file);
        }
        RunResults r;
        try {
            r = JSON.readValue(file.toFile(), RunResults.class);
        } catch (JacksonException e) {
            throw new IOException(file + " is not a results.json this build can read: " + e.getOriginalMessage());
        }
        if (r.schemaVersion() < 1 || r.experiment() == null || r.config() == null) {
            throw new IOException(file + " is not a results.json (no schema_version, experiment or config)");
        }
        if (r.schemaVersion() > RunResults.SCHEMA_VERSION) {
            throw new IOException(file + " has results schema " + r.schemaVersion() + "; this build reads up to "
                    + RunResults.SCHEMA_VERSION);
        }
        return r;
    }

    private static void writeRunsCsv(RunResults r, Path file) throws IOException {
        Set<String> derivedKeys = new LinkedHashSet<>();
        r.runs().forEach(t -> derivedKeys.addAll(t.derived().keySet()));
        StringBuilder sb = new StringBuilder("design,cpus,rate,trial,order,pinned,ops,elapsed_s,ops_per_sec,latency_p50_ns,"
                + "latency_p90_ns,latency_p99_ns,latency_p999_ns,latency_max_ns");
        derivedKeys.forEach(k -> sb.append(',').append(k));
        sb.append(",ok\n");
        for (TrialRecord t : r.runs()) {
            sb.append(String.join(",", t.design(), Integer.toString(t.cpus()), opt(t.offeredRate()),
                    Integer.toString(t.trial()), Integer.toString(t.order()), Boolean.toString(t.pinned()),
                    Long.toString(t.ops()), num(t.elapsedS()), num(t.opsPerSec()), Long.toString(t.latencyNs().p50()),
                    Long.toString(t.latencyNs().p90()), Long.toString(t.latencyNs().p99()),
                    Long.toString(t.latencyNs().p999()), Long.toString(t.latencyNs().max())));
            for (String k : derivedKeys) {
                Double v = t.derived().get(k);
                sb.append(',').append(v == null ? "" : num(v));
            }
            sb.append(',').append(t.ok()).append('\n');
        }
        Files.writeString(file, sb);
    }

    private static void writeSummaryCsv(RunResults r, Path file) throws IOException {
        StringBuilder sb = new StringBuilder("design,cpus,rate,trials,ops_per_sec_median,latency_p50_ns_median,"
                + "latency_p99_ns_median,latency_p999_ns_median,ok\n");
        for (RunResults.Summary s : r.summary()) {
            sb.append(String.join(",", s.design(), Integer.toString(s.cpus()), opt(s.rate()), Integer.toString(s.trials()),
                    num(s.opsPerSec()), num(s.latencyP50Ns()), num(s.latencyP99Ns()), num(s.latencyP999Ns()),
                    Boolean.toString(s.ok()))).append('\n');
        }
        Files.writeString(file, sb);
    }

    private static void writeComparisonsCsv(RunResults r, Path file) throws IOException {
        StringBuilder sb = new StringBuilder("cpus,rate,metric,a,b,ratio,ci_low,ci_high,n,method,verdict\n");
        for (Comparison c : r.comparisons()) {
            sb.append(String.join(",", Integer.toString(c.cpus()), opt(c.rate()), c.metric(), c.a(), c.b(),
                    num(c.ratio()), opt(c.low()), opt(c.high()), Integer.toString(c.n()), c.method(),
                    c.verdict() == null ? "" : '"' + c.verdict().replace("\"", "\"\"") + '"')).append('\n');
        }
        Files.writeString(file, sb);
    }

    private static String opt(Double v) {
        return v == null ? "" : num(v);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** Prints the summary table: design, cpus, ops/s, latency p50/p99, messages per drain, wake-ups skipped. */
    public static void printTable(RunResults r, PrintStream out) {
        boolean open = r.summary().stream().anyMatch(s -> s.rate() != null);
        String fmt = "%-14s %4s" + (open ? " %9s" : "%s") + " %12s %10s %10s %11s %10s %10s %5s%n";
        out.printf(Locale.ROOT, fmt, "design", "cpus", open ? "offered" : "", "ops/s", "p50", "p99", "msgs/drain",
                "wake skip", "lock cont", "ok");
        for (RunResults.Summary s : r.summary()) {
            out.printf(Locale.ROOT, fmt, s.design(), s.cpus(), open ? Format.si(s.rate()) + "/s" : "",
                    Format.rate(s.opsPerSec()), Format.nanos(s.latencyP50Ns()), Format.nanos(s.latencyP99Ns()),
                    Format.number(s.derived().get("ipi_per_drain")), Format.percent(s.derived().get("wakeups_skipped_ratio")),
                    Format.percent(s.derived().get("lock_contended_ratio")), s.ok() ? "yes" : "NO");
        }
        for (String f : failedChecks(r)) {
            out.println("CHECK FAILED: " + f);
        }
    }

    /** Every failed check, one line each: {@code design cpus=2 trial=1: name (detail)}. */
    public static List<String> failedChecks(RunResults r) {
        List<String> failed = new ArrayList<>();
        for (TrialRecord t : r.runs()) {
            t.checks().stream().filter(c -> !c.ok()).forEach(c -> failed.add(t.design() + " cpus=" + t.cpus()
                    + (t.offeredRate() != null ? " rate=" + Format.si(t.offeredRate()) + "/s" : "") + " trial="
                    + t.trial() + ": " + c.name() + " (" + c.detail() + ")"));
        }
        return failed;
    }
}
