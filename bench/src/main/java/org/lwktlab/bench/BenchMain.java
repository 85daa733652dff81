package org.lwktlab.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.lwktlab.bench.support.BenchSettings;
import org.lwktlab.bench.support.Flags;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code bin/lab bench}: runs the JMH benchmarks (every one with {@code -prof gc}) and writes
 * {@code bench.md} — medians, ratios against each row's peer, the DESIGN §6 targets met or missed —
 * and JMH's own {@code jmh-results.json} into the results folder.
 */
public final class BenchMain {
    /** System property the launcher sets to the command the user typed, for the report. */
    public static final String COMMAND_PROPERTY = "lwkt.bench.command";

    private BenchMain() {}

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** Runs with {@code args}; returns the exit status. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("bench: " + e.getMessage());
            return 2;
        }
        if (o.help()) {
            out.print(BenchOptions.USAGE);
            return 0;
        }
        ChainedOptionsBuilder b = new OptionsBuilder().include(o.include());
        if (o.list()) {
            try {
                new Runner(b.build()).list();
                return 0;
            } catch (RuntimeException e) {
                err.println("bench: cannot list benchmarks: " + e.getMessage());
                return 1;
            }
        }
        try {
            Files.createDirectories(o.out());
        } catch (IOException e) {
            err.println("bench: cannot create results folder " + o.out() + ": " + e.getMessage());
            return 1;
        }
        List<String> jvmArgs = new ArrayList<>(Arrays.asList(Flags.all()));
        jvmArgs.add("-D" + BenchSettings.PIN_PROPERTY + "=" + (o.pin() ? "on" : "off"));
        b.forks(o.forks())
                .warmupIterations(o.warmupIterations())
                .warmupTime(TimeValue.seconds(o.iterationSeconds()))
                .measurementIterations(o.measurementIterations())
                .measurementTime(TimeValue.seconds(o.iterationSeconds()))
                .jvmArgsAppend(jvmArgs.toArray(new String[0]))
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON)
                .result(o.out().resolve("jmh-results.json").toString());
        String command = System.getProperty(COMMAND_PROPERTY, "java -jar lwkt-bench.jar " + String.join(" ", args)).trim();
        String started = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String loadBefore = MachineNote.loadAverage();
        Collection<RunResult> results;
        try {
            results = new Runner(b.build()).run();
        } catch (RunnerException e) {
            err.println("bench: a benchmark failed, so no table was written: " + e.getMessage()
                    + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
            return 1;
        }
        if (results.isEmpty()) {
            err.println("bench: no benchmark matches '" + o.include() + "'; bin/lab bench --list shows them");
            return 2;
        }
        MachineNote machine = new MachineNote(Runtime.getRuntime().availableProcessors(), MachineNote.currentCpuModel(),
                MachineNote.currentJdk(), MachineNote.currentOs(), o.pin(), loadBefore, MachineNote.loadAverage(), started, command,
                o.settingsText());
        String md = new BenchReport(measured(results)).markdown(machine);
        Path table = o.out().resolve("bench.md");
        try {
            Files.writeString(table, md);
        } catch (IOException e) {
            err.println("bench: cannot write " + table + ": " + e.getMessage());
            return 1;
        }
        out.println();
        out.print(md);
        out.println("Wrote " + table + " and " + o.out().resolve("jmh-results.json"));
        return 0;
    }

    /** JMH's results as table rows: medians of the primary score and of the secondaries the table uses. */
    static List<Measured> measured(Collection<RunResult> results) {
        List<Measured> rows = new ArrayList<>();
        for (RunResult r : results) {
            String full = r.getParams().getBenchmark();
            String name = full.startsWith(BenchOptions.ROOT + ".") ? full.substring(full.lastIndexOf('.', full.lastIndexOf('.') - 1) + 1) : full;
            TreeMap<String, String> params = new TreeMap<>();
            for (String k : r.getParams().getParamsKeys()) {
                params.put(k, r.getParams().getParam(k));
            }
            Map<String, Double> secondary = new HashMap<>();
            for (String key : List.of(Measured.MESSAGES, Measured.ALLOC_NORM, Measured.CPU_NS_PER_OP, Measured.THREAD_BYTES_PER_OP,
                    Measured.ON_OFF, Measured.ON_OFF_ROUNDS, Measured.ON_RATE, Measured.OFF_RATE)) {
                Result<?> s = r.getSecondaryResults().get(key);
                if (s != null) {
                    secondary.put(key, s.getStatistics().getPercentile(50));
                }
            }
            Result<?> p = r.getPrimaryResult();
            rows.add(new Measured(name, params, p.getStatistics().getPercentile(50), p.getScoreUnit(), secondary,
                    p.getStatistics().getN()));
        }
        return rows;
    }
}
