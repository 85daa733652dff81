package org.lwktlab.lab.experiment;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.HdrHistogram.Histogram;
import org.lwktlab.lwkt.KernelConfig;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * One trial as an experiment sees it: which design on how many CPUs, for how long, with which
 * settings, and where to count and record. Created by the runner.
 */
public final class Trial {
    private final String experiment;
    private final String design;
    private final int cpus;
    private final int index;
    private final long seed;
    private final Duration warmup;
    private final Duration duration;
    private final double rate;
    private final Map<String, String> params;
    private final Map<String, String> kernelSettings;
    private final KernelConfig.Pin pin;
    private final ProbeRegistry probes;
    private final List<LoadRecorder> recorders = new CopyOnWriteArrayList<>();
    private final List<Arrivals> arrivals = new CopyOnWriteArrayList<>();

    /**
     * @param rate           total offered load in operations per second for an open-loop trial; 0 for
     *                       closed loop
     * @param params         the experiment's settings, defaults filled in
     * @param kernelSettings kernel settings ({@link KernelConfig#KEYS}) given with {@code --set}
     */
    public Trial(String experiment, String design, int cpus, int index, long seed, Duration warmup, Duration duration,
                 double rate, Map<String, String> params, Map<String, String> kernelSettings, KernelConfig.Pin pin,
                 ProbeRegistry probes) {
        this.experiment = Objects.requireNonNull(experiment);
        this.design = Objects.requireNonNull(design);
        this.cpus = cpus;
        this.index = index;
        this.seed = seed;
        this.warmup = Objects.requireNonNull(warmup);
        this.duration = Objects.requireNonNull(duration);
        this.rate = rate;
        this.params = Map.copyOf(params);
        this.kernelSettings = Map.copyOf(kernelSettings);
        this.pin = Objects.requireNonNull(pin);
        this.probes = Objects.requireNonNull(probes);
    }

    public String experiment() {
        return experiment;
    }

    public String design() {
        return design;
    }

    public int cpus() {
        return cpus;
    }

    /** Trial number, from 1. */
    public int index() {
        return index;
    }

    /** Seed for this trial's randomness (derived from {@code --seed} and the trial number). */
    public long seed() {
        return seed;
    }

    public Duration warmup() {
        return warmup;
    }

    public Duration duration() {
        return duration;
    }

    /** Offered load for open loop, operations/s in total; 0 means closed loop. */
    public double rate() {
        return rate;
    }

    public boolean openLoop() {
        return rate > 0;
    }

    /**
     * The open-loop schedule of generator {@code generator} of {@code generators}: each offers
     * {@code rate() / generators} operations per second, phase-shifted by {@code generator/generators} of
     * an interval so the generators do not fire together. Measure each operation's latency from
     * {@link Pacer#next()}'s intended start.
     *
     * @throws IllegalStateException on a closed-loop trial (no rate)
     */
    public Pacer pacer(int generator, int generators) {
        if (!openLoop()) {
            throw new IllegalStateException(this + " is closed loop: there is no rate to pace (check trial.openLoop())");
        }
        if (generators < 1 || generator < 0 || generator >= generators) {
            throw new IllegalArgumentException("generator " + generator + " of " + generators);
        }
        double interval = generators * 1e9 / rate;
        return new Pacer(interval, Math.round(interval * generator / generators));
    }

    /**
     * Starts open-loop arrivals for in-kernel generators ({@link Arrivals#start}); the runner halts them
     * after the trial if the workload did not close them itself.
     */
    public Arrivals arrivals(List<Pacer> pacers, List<Arrivals.Kick> kicks) {
        Arrivals a = Arrivals.start(experiment + "-" + design, pacers, kicks);
        arrivals.add(a);
        return a;
    }

    /** Halts any arrivals thread still running. Runner only, after the workload has shut down. */
    public void haltArrivals() throws InterruptedException {
        for (Arrivals a : arrivals) {
            a.halt();
        }
    }

    /** Where this trial's probes go (labels {@code experiment} and {@code design}). */
    public ProbeRegistry probes() {
        return probes;
    }

    /** A random stream for {@code stream} (one per generator), reproducible from the seed. */
    public SplittableRandom random(int stream) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + stream);
    }

    /**
     * A kernel configuration for this trial: its CPU count, probe registry, pinning policy and any kernel
     * settings given with {@code --set}.
     */
    public KernelConfig.Builder kernel() {
        KernelConfig.Builder b = KernelConfig.builder(cpus).name(experiment + "-" + design).pin(pin).probeRegistry(probes);
        kernelSettings.forEach(b::set);
        return b.cpus(cpus);
    }

    /** True when threads of a mutex design should be pinned the way the kernel pins its CPUs. */
    public boolean pinThreads() {
        return switch (pin) {
            case ON -> true;
            case OFF -> false;
            case AUTO -> Runtime.getRuntime().availableProcessors() >= cpus;
        };
    }

    /** A new recorder for one load generator (single writer). */
    public LoadRecorder recorder(String name) {
        LoadRecorder r = new LoadRecorder(name,
                probes.counter("lwkt_lab_ops_total", "Operations completed by this load generator", Labels.of("generator", name)));
        recorders.add(r);
        return r;
    }

    /** Total operations over all recorders so far. */
    public long totalOps() {
        long s = 0;
        for (LoadRecorder r : recorders) {
            s += r.ops();
        }
        return s;
    }

    /** Latencies since the previous call, merged over all recorders. Runner only. */
    public Histogram drainLatency() {
        Histogram all = new Histogram(1, LoadRecorder.HIGHEST, 3);
        for (LoadRecorder r : recorders) {
            all.add(r.interval(null));
        }
        return all;
    }

    /** The raw value of setting {@code name}. */
    public String param(String name) {
        String v = params.get(name);
        if (v == null) {
            throw new IllegalArgumentException(experiment + " has no setting '" + name + "'");
        }
        return v;
    }

    /**
     * An integer setting.
     *
     * @throws IllegalArgumentException naming the setting if it does not parse or is below {@code min}
     */
    public int intParam(String name, int min) {
        String v = param(name);
        try {
            int i = Integer.parseInt(v.trim());
            if (i < min) {
                throw new IllegalArgumentException("--set " + name + "=" + v + ": must be >= " + min);
            }
            return i;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--set " + name + "=" + v + ": expected an integer");
        }
    }

    /** A setting that must be one of {@code allowed}. */
    public String choiceParam(String name, List<String> allowed) {
        String v = param(name).trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException("--set " + name + "=" + v + ": expected one of " + String.join(", ", allowed));
        }
        return v;
    }

    @Override
    public String toString() {
        return experiment + " design=" + design + " cpus=" + cpus + " trial=" + index;
    }
}
