package org.lwktlab.metrics.stat;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.lwktlab.metrics.probe.CountersFile;

/**
 * {@code bin/lab stat}: attaches to a running experiment's memory-mapped counters and prints, every
 * interval, one line per CPU and one for all of them — {@code mpstat}'s layout with {@code vmstat}'s
 * rhythm:
 *
 * <pre>
 * time      cpu    msgs/s    ipis/s  depth max  msgs/drain  wake skip/s
 * 14:02:11    0    168.2k     84.1k          3        1.02        83.9k
 * </pre>
 *
 * {@code msgs/s} are messages handled, {@code ipis/s} IPIs run on the CPU, {@code depth max} the deepest
 * IPI/submission or port queue of the trailing second (exact, from the owners' high-water marks),
 * {@code msgs/drain} the entries each drain pass ran (coalescing), {@code wake skip/s} the wake-ups the
 * CPU's sends did not need. A run writes one file per trial; when a trial's file goes away the command
 * follows the run to its next trial, and ends when the run's process does.
 *
 * <p>Reads only: it never writes into the file, so it cannot disturb the run.
 */
public final class Stat {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final String FORMAT = "%-8s %4s %9s %9s %10s %11s %12s%n";
    private static final long POLL_NANOS = 100_000_000L;

    /**
     * @param file     a counters file to read; null for the newest live run in {@code dir}
     * @param dir      where runs keep their counters files
     * @param interval time between two lines, >= 100 ms
     * @param count    lines to print before stopping; 0 for no limit
     * @param waitFor  how long to wait for a live run to appear
     */
    public record Options(Path file, CountersDirectory dir, Duration interval, long count, Duration waitFor) {
        public Options {
            Objects.requireNonNull(dir, "dir");
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(waitFor, "waitFor");
            if (interval.compareTo(Duration.ofMillis(100)) < 0) {
                throw new IllegalArgumentException("--interval must be at least 100ms, got " + interval);
            }
            if (count < 0) {
                throw new IllegalArgumentException("--count must be >= 0 (0 = until the run ends), got " + count);
            }
            if (waitFor.isNegative()) {
                throw new IllegalArgumentException("--wait must not be negative, got " + waitFor);
            }
        }
    }

    private final Options options;
    private final PrintStream out;

    public Stat(Options options, PrintStream out) {
        this.options = Objects.requireNonNull(options, "options");
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * Runs until {@code count} lines were printed or the run ended.
     *
     * @return 0, or 2 if there was no run to attach to (a message says where it looked)
     */
    public int run() {
        Path file = options.file() != null ? existing(options.file()) : awaitRun(null, options.waitFor()).orElse(null);
        if (file == null) {
            out.println("lab stat: no live LWKT Lab run in " + options.dir().dir()
                    + (options.waitFor().isZero() ? "" : " after waiting " + options.waitFor())
                    + "; start one with 'bin/lab run ...' (it writes its counters there; set "
                    + CountersDirectory.ENV + " to look elsewhere)");
            return 2;
        }
        long printed = 0;
        while (file != null) {
            long before = printed;
            printed = follow(file, printed);
            if (options.count() > 0 && printed >= options.count()) {
                return 0;
            }
            if (options.file() != null) {
                out.println("lab stat: " + file + " is gone; the trial ended");
                return 0;
            }
            Path ended = file;
            file = awaitRun(ended, null).orElse(null);
            if (file == null) {
                out.println("lab stat: the run ended" + (printed == before ? " before a line could be printed" : ""));
            }
        }
        return 0;
    }

    private static Path existing(Path f) {
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("--file " + f + ": no such counters file");
        }
        return f;
    }

    /**
     * The newest live run's file other than {@code previous}: waits up to {@code wait}, or — when following
     * a run ({@code wait} null) — as long as the process that wrote {@code previous} lives.
     */
    private Optional<Path> awaitRun(Path previous, Duration wait) {
        long pid = previous == null ? -1 : pidOf(previous);
        long deadline = wait == null ? Long.MAX_VALUE : System.nanoTime() + wait.toNanos();
        for (;;) {
            Optional<CountersDirectory.Entry> e = options.dir().newestLive();
            if (e.isPresent() && !e.get().file().equals(previous)) {
                return Optional.of(e.get().file());
            }
            if (wait != null && System.nanoTime() - deadline >= 0) {
                return Optional.empty();
            }
            if (wait == null && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return Optional.empty();
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private static long pidOf(Path file) {
        String n = file.getFileName().toString(); // lwkt-PID-ORDER.counters
        String[] parts = n.split("-");
        try {
            return parts.length >= 3 ? Long.parseLong(parts[1]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Prints lines from {@code file} until it goes away or enough were printed; returns the new total. */
    private long follow(Path file, long printed) {
        try (CountersFile.Attached a = CountersFile.open(file)) {
            Map<String, CounterKey> keys = CpuReading.newKeyCache();
            CpuReading prev = CpuReading.read(a.reader(), keys);
            String header = null;
            long next = System.nanoTime() + options.interval().toNanos();
            while (options.count() == 0 || printed < options.count()) {
                long left;
                while ((left = next - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(Math.min(left, POLL_NANOS));
                    if (!Files.exists(file) || !a.writerAlive()) {
                        return printed;
                    }
                }
                next += options.interval().toNanos();
                CpuReading cur = CpuReading.read(a.reader(), keys);
                // The kernel may boot after the file appears: say what is attached once its CPUs show.
                String h = String.format(Locale.ROOT, "lab stat: %s (pid %d): %s design=%s, %d cpus", file, a.pid(),
                        cur.experiment(), cur.design(), cur.cpus().size());
                if (!h.equals(header)) {
                    header = h;
                    out.println(h);
                    out.printf(Locale.ROOT, FORMAT, "time", "cpu", "msgs/s", "ipis/s", "depth max", "msgs/drain",
                            "wake skip/s");
                }
                print(prev, cur);
                out.flush();
                prev = cur;
                printed++;
            }
            return printed;
        } catch (IllegalArgumentException e) {
            return printed; // deleted between listing and opening: the trial ended
        }
    }

    private void print(CpuReading a, CpuReading b) {
        double secs = Math.max(1e-9, (b.nanos() - a.nanos()) / 1e9);
        String time = LocalTime.now().format(TIME);
        CpuReading.Cpu all = new CpuReading.Cpu();
        CpuReading.Cpu allBefore = new CpuReading.Cpu();
        for (Map.Entry<Integer, CpuReading.Cpu> e : b.cpus().entrySet()) {
            CpuReading.Cpu now = e.getValue();
            CpuReading.Cpu was = a.cpus().getOrDefault(e.getKey(), new CpuReading.Cpu());
            line(time, Integer.toString(e.getKey()), was, now, secs);
            add(all, now);
            add(allBefore, was);
        }
        if (b.cpus().size() > 1) {
            line(time, "all", allBefore, all, secs);
        }
    }

    private void line(String time, String cpu, CpuReading.Cpu was, CpuReading.Cpu now, double secs) {
        long drains = now.drains - was.drains;
        out.printf(Locale.ROOT, FORMAT, time, cpu, rate((now.handled - was.handled) / secs),
                rate((now.ipis - was.ipis) / secs), Long.toString(now.depthMax),
                drains == 0 ? "-" : String.format(Locale.ROOT, "%.2f", (double) (now.drained - was.drained) / drains),
                rate((now.wakeupsSkipped - was.wakeupsSkipped) / secs));
    }

    private static void add(CpuReading.Cpu sum, CpuReading.Cpu c) {
        sum.handled += c.handled;
        sum.ipis += c.ipis;
        sum.drains += c.drains;
        sum.drained += c.drained;
        sum.wakeupsSkipped += c.wakeupsSkipped;
        sum.depthMax = Math.max(sum.depthMax, c.depthMax);
    }

    /** 950, 12.3k, 4.56M. */
    static String rate(double v) {
        if (v < 0) {
            return "0"; // a counter that restarted (a new kernel in the same file): no rate this line
        }
        if (v < 1_000) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v < 1_000_000) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        if (v < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        return String.format(Locale.ROOT, "%.2fG", v / 1e9);
    }
}
