package org.lwktlab.lab.run;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.lwktlab.lab.experiment.Check;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.experiment.Trial;
import org.lwktlab.lab.experiment.Workload;
import org.lwktlab.lwkt.Affinity;
import org.lwktlab.lwkt.KernelConfig;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;
import org.lwktlab.metrics.sample.ProbeWindow;
import org.lwktlab.metrics.sample.Timeline;

/**
 * Runs a {@link RunSpec}: every trial of the plan in interleaved order, each with warm-up and a
 * measured window, probes snapshotted at both ends of the window so every figure is the window's.
 *
 * <p><b>Stopping.</b> {@link #interrupt()} (Ctrl-C, from another thread) ends the current trial's
 * warm-up or window at once; the runner still stops the workload and shuts its kernel down, discards
 * that trial's partial numbers, and returns the trials before it marked incomplete. A trial that
 * throws is recorded as failed and the run stops after it.
 */
public final class Runner {
    /** How often a sleeping runner looks at the interrupt flag and reports progress. */
    private static final long TICK_MILLIS = 50;

    private final RunSpec spec;
    private final RunListener listener;
    private Observation observation = Observation.defaults();
    private volatile boolean interrupted;

    /** A runner reporting to {@code listener}. */
    public Runner(RunSpec spec, RunListener listener) {
        this.spec = spec;
        this.listener = listener;
    }

    /** A runner printing one line per trial to {@code out}. */
    public Runner(RunSpec spec, PrintStream out) {
        this(spec, new PlainLines(out));
    }

    /** Sets how trials are sampled, mapped for {@code bin/lab stat} and served (default: {@link Observation#defaults}). */
    public Runner observe(Observation o) {
        this.observation = java.util.Objects.requireNonNull(o, "observation");
        return this;
    }

    /** Asks the run to stop now: the current trial is abandoned cleanly and the results marked incomplete. */
    public void interrupt() {
        interrupted = true;
    }

    /** True once {@link #interrupt()} was called. */
    public boolean interrupted() {
        return interrupted;
    }

    /** Runs every trial and returns the results (also when cut short: then {@code complete} is false). */
    public RunResults run() {
        Experiment e = spec.experiment();
        String started = Instant.now().toString();
        List<RunSpec.Slot> plan = spec.plan();
        List<TrialRecord> records = new ArrayList<>();
        String incomplete = null;
        boolean allPinned = true;
        boolean oversubscribed = false;
        int cores = Runtime.getRuntime().availableProcessors();
        Double load = MachineInfo.loadAverageNow(); // before our own trials add to it
        listener.started(spec, plan, spec.warmup().toNanos() + spec.duration().toNanos());
        if (RunSpec.maxDuration() != null) {
            listener.note(RunSpec.MAX_DURATION_ENV + "=" + Format.duration(RunSpec.maxDuration()) + " caps every trial's"
                    + " warm-up and measured interval: this run checks that the command works, its figures are not"
                    + " measurements");
        }
        if (load != null && load >= cores / 2.0) {
            listener.note(String.format(Locale.ROOT, "the machine is busy: load average %.1f on %d cores before the first"
                    + " trial; the designs share it alike (trials interleave), but expect noisy figures", load, cores));
        }
        if (observation.counters() != null) {
            try {
                observation.counters().removeStale();
            } catch (RuntimeException ex) {
                listener.note(ex.getMessage());
            }
        }
        for (int i = 0; i < plan.size(); i++) {
            RunSpec.Slot s = plan.get(i);
            int order = i + 1;
            if (interrupted) {
                incomplete = interruptedNote(order - 1, plan.size(), null);
                break;
            }
            listener.trialStarted(order, s);
            TrialRecord r;
            try {
                r = runTrial(s, order);
            } catch (InterruptedException ie) {
                listener.interrupted(order, s);
                incomplete = interruptedNote(order, plan.size(), s);
                break;
            } catch (Exception ex) {
                listener.trialFailed(order, s, ex);
                records.add(failed(s, order, ex));
                incomplete = "trial " + order + " of " + plan.size() + " (" + s.label() + ") failed: " + ex.getMessage()
                        + "; the run stopped there";
                break;
            }
            records.add(r);
            allPinned &= r.pinned();
            oversubscribed |= s.cpus() > cores;
            listener.trialFinished(order, s, r);
        }
        RunResults.Config cfg = new RunResults.Config(spec.designs(), spec.cpus(), spec.warmup().toNanos() / 1e9,
                spec.duration().toNanos() / 1e9, spec.trials(), spec.seed(), spec.openLoop() ? "open" : "closed",
                spec.rates(), spec.pin().name().toLowerCase(Locale.ROOT), spec.experimentParams(), spec.kernelSettings());
        RunResults results = new RunResults(RunResults.SCHEMA_VERSION, e.name(), e.question(), incomplete == null,
                incomplete, started, Instant.now().toString(), spec.commandLine(),
                MachineInfo.current(allPinned && !records.isEmpty(), oversubscribed, load), cfg, records,
                Summaries.of(records), List.of());
        listener.finished(results);
        return results;
    }

    private static String interruptedNote(int order, int total, RunSpec.Slot s) {
        return s == null ? "interrupted after trial " + order + " of " + total
                : "interrupted during trial " + order + " of " + total + " (" + s.label()
                + "); that trial's partial numbers were discarded";
    }

    private TrialRecord runTrial(RunSpec.Slot s, int order) throws Exception {
        Labels labels = Labels.of("experiment", spec.experiment().name(), "design", s.design());
        try (TrialProbes tp = TrialProbes.open(observation, labels, order, perPairProbes(), listener::note)) {
            ProbeRegistry probes = tp.registry();
            long seed = spec.seed() * 1_000_003L + order;
            Trial trial = new Trial(spec.experiment().name(), s.design(), s.cpus(), s.trial(), seed, spec.warmup(),
                    spec.duration(), s.rate(), spec.experimentParams(), spec.kernelSettings(), spec.pin(), probes);
            boolean pinned = trial.pinThreads() && Affinity.supported();
            Workload w = spec.experiment().prepare(trial);
            List<Check> checks = new ArrayList<>();
            Map<String, Double> extra;
            long ops;
            long elapsed;
            Histogram latency;
            ProbeSnapshot before;
            ProbeSnapshot after;
            boolean started = false;
            boolean stopped = false;
            ProbeWindow window;
            try {
                w.start();
                started = true;
                sleep(spec.warmup(), 0);
                trial.drainLatency();
                window = tp.beginWindow();
                before = ProbeSnapshot.take(probes);
                long ops0 = trial.totalOps();
                long t0 = System.nanoTime();
                sleep(spec.duration(), spec.warmup().toNanos());
                long ops1 = trial.totalOps();
                elapsed = System.nanoTime() - t0;
                after = ProbeSnapshot.take(probes);
                window.end();
                latency = trial.drainLatency();
                ops = ops1 - ops0;
                stopped = true;
                w.stop();
                checks.addAll(w.verify());
                extra = w.metrics(ops);
            } finally {
                if (started && !stopped) {
                    stopQuietly(w);
                }
                checks.addAll(w.shutdown());
                trial.haltArrivals();
            }
            checks.addAll(tp.checks());
            double secs = elapsed / 1e9;
            Map<String, Long> counters = after.counterDelta(before);
            return new TrialRecord(s.design(), s.cpus(), s.trial(), order, pinned, ops, secs, ops / secs,
                    TrialRecord.Latency.of(latency), derived(before, after, counters, ops, extra), perOp(counters, ops),
                    counters, checks, window.perProbe(), window.timeline(), s.rate() > 0 ? s.rate() : null,
                    TrialRecord.encode(latency));
        }
    }

    /** Stops a workload whose trial was cut short; the cut is what gets reported, not a follow-on error. */
    private static void stopQuietly(Workload w) {
        try {
            w.stop();
        } catch (Exception ignored) {
            // the trial is being abandoned (interrupt or earlier failure, which propagates); shutdown
            // below still drains the kernel and reports anything lost
        }
    }

    /** Whether the kernel settings ask for per-CPU-pair probes ({@code probes.per-pair}). */
    private boolean perPairProbes() {
        KernelConfig.Builder b = KernelConfig.builder(1);
        spec.kernelSettings().forEach(b::set);
        return b.build().perPairProbes();
    }

    private static Map<String, Double> perOp(Map<String, Long> counters, long ops) {
        Map<String, Double> m = new TreeMap<>();
        if (ops > 0) {
            counters.forEach((k, v) -> {
                if (v != 0 && !k.equals("lwkt_lab_ops_total")) {
                    m.put(k, (double) v / ops);
                }
            });
        }
        return m;
    }

    /** The figures that explain a result (DESIGN §4), for the measured window. */
    static Map<String, Double> derived(ProbeSnapshot before, ProbeSnapshot after, Map<String, Long> c, long ops,
                                       Map<String, Double> extra) {
        Map<String, Double> d = new LinkedHashMap<>();
        put(d, "ipi_per_drain", after.histogramMean(before, "lwkt_ipi_per_drain"));
        put(d, "msgs_per_run", after.histogramMean(before, "lwkt_port_per_run"));
        long wake = c.getOrDefault("lwkt_ipi_wakeups_total", 0L);
        long skip = c.getOrDefault("lwkt_ipi_wakeups_skipped_total", 0L);
        if (wake + skip > 0) {
            put(d, "wakeups_skipped_ratio", (double) skip / (wake + skip));
        }
        if (ops > 0) {
            if (c.containsKey("lwkt_ipi_sent_total")) {
                put(d, "ipis_per_op", (double) c.get("lwkt_ipi_sent_total") / ops);
                put(d, "wakeups_per_op", (double) wake / ops);
            }
            if (c.containsKey("lwkt_lock_acquisitions_total")) {
                put(d, "lock_acquisitions_per_op", (double) c.get("lwkt_lock_acquisitions_total") / ops);
            }
        }
        long acq = c.getOrDefault("lwkt_lock_acquisitions_total", 0L);
        if (acq > 0) {
            put(d, "lock_contended_ratio", (double) c.getOrDefault("lwkt_lock_contended_total", 0L) / acq);
        }
        extra.forEach((k, v) -> put(d, k, v));
        return d;
    }

    private static void put(Map<String, Double> d, String k, double v) {
        if (!Double.isNaN(v) && !Double.isInfinite(v)) {
            d.put(k, v);
        }
    }

    private TrialRecord failed(RunSpec.Slot s, int order, Exception ex) {
        return new TrialRecord(s.design(), s.cpus(), s.trial(), order, false, 0, 0, 0,
                new TrialRecord.Latency(0, 0, 0, 0, 0, 0, 0), Map.of(), Map.of(), Map.of(),
                List.of(new Check("trial ran to the end", false, String.valueOf(ex))), Map.of(), Timeline.empty(),
                s.rate() > 0 ? s.rate() : null, null);
    }

    /** Sleeps {@code d}, reporting progress from {@code offsetNanos}; throws at once when interrupted. */
    private void sleep(Duration d, long offsetNanos) throws InterruptedException {
        long begin = System.nanoTime();
        long end = begin + d.toNanos();
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            if (interrupted) {
                throw new InterruptedException("run interrupted");
            }
            Thread.sleep(Math.min(TICK_MILLIS, Math.max(1, left / 1_000_000)));
            listener.progress(offsetNanos + Math.min(d.toNanos(), System.nanoTime() - begin));
        }
        if (interrupted) {
            throw new InterruptedException("run interrupted");
        }
    }
}
