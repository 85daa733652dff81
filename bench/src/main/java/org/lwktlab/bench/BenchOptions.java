package org.lwktlab.bench;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The command line of {@code bin/lab bench}: {@code [--quick] [--filter REGEX] [--pin] [--out DIR]
 * [--list] [--help]}. Bad input is rejected with a message naming the problem and the valid options.
 *
 * @param quick  short runs (1 fork, 2 + 3 one-second iterations) for development
 * @param filter JMH include pattern, matched against {@code package.Class.method}; null for all
 * @param pin    pin kernel CPUs and benchmark threads to cores
 * @param out    the results folder
 * @param list   list the benchmarks and exit
 * @param help   print usage and exit
 */
public record BenchOptions(boolean quick, String filter, boolean pin, Path out, boolean list, boolean help) {
    /** Every benchmark lives under this package. */
    public static final String ROOT = "org.lwktlab.bench";

    public static final String USAGE = """
            usage: bin/lab bench [--quick] [--filter REGEX] [--pin] [--out DIR] [--list]
              --quick         short runs for development: 1 fork, 2 warm-up + 3 measured iterations of 1 s
                              (default: 2 forks, 3 warm-up + 5 measured iterations of 1 s)
              --filter REGEX  only benchmarks whose name (package.Class.method) matches, e.g. RoundTrip
                              or 'OneWayThroughput|SharedUpdate.message'
              --pin           pin kernel CPUs and benchmark threads to cores (default: nothing pinned)
              --out DIR       results folder (default: results/bench-TIME); bench.md and jmh-results.json
              --list          list the benchmarks and exit
            """;

    /**
     * @throws IllegalArgumentException naming the bad argument and the valid ones
     */
    public static BenchOptions parse(List<String> args) {
        boolean quick = false;
        boolean pin = false;
        boolean list = false;
        boolean help = false;
        String filter = null;
        Path out = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--quick" -> quick = true;
                case "--pin" -> pin = true;
                case "--list" -> list = true;
                case "--help", "-h" -> help = true;
                case "--filter" -> filter = value(args, ++i, a);
                case "--out" -> out = Path.of(value(args, ++i, a));
                default -> {
                    if (a.startsWith("--filter=")) {
                        filter = a.substring("--filter=".length());
                    } else if (a.startsWith("--out=")) {
                        out = Path.of(a.substring("--out=".length()));
                    } else {
                        throw new IllegalArgumentException("unknown argument '" + a + "'\n" + USAGE);
                    }
                }
            }
        }
        if (filter != null) {
            if (filter.isBlank()) {
                throw new IllegalArgumentException("--filter needs a regular expression, got an empty one\n" + USAGE);
            }
            try {
                Pattern.compile(filter);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("--filter '" + filter + "' is not a valid regular expression: "
                        + e.getDescription() + "\n" + USAGE, e);
            }
        }
        if (out == null) {
            out = Path.of("results", "bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        return new BenchOptions(quick, filter, pin, out, list, help);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size() || args.get(i).startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args.get(i);
    }

    /** The JMH include pattern: the filter, restricted to this project's benchmarks. */
    public String include() {
        return filter == null ? ROOT + "\\." : filter;
    }

    public int forks() {
        return quick ? 1 : 2;
    }

    public int warmupIterations() {
        return quick ? 2 : 3;
    }

    public int measurementIterations() {
        return quick ? 3 : 5;
    }

    /** Seconds per iteration. */
    public int iterationSeconds() {
        return 1;
    }

    /** The settings line of the report. */
    public String settingsText() {
        return forks() + " fork(s) × (" + warmupIterations() + " warm-up + " + measurementIterations() + " measured "
                + "iterations of " + iterationSeconds() + " s), -prof gc" + (quick ? " (--quick)" : "");
    }
}
