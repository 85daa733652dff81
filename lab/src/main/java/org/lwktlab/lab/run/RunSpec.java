package org.lwktlab.lab.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.experiment.Param;
import org.lwktlab.lwkt.KernelConfig;

/**
 * What the user asked for: an experiment, its designs and CPU counts, timings, settings. Validated on
 * construction — every bad value is rejected with a message naming it and the valid values.
 *
 * @param rates          open-loop offered loads, operations/s in total, each run as its own point; empty for
 *                       closed loop
 * @param settings       {@code --set} values: kernel settings and the experiment's own, as given
 * @param commandLine    the command that reproduces the run
 */
public record RunSpec(Experiment experiment, List<String> designs, List<Integer> cpus, Duration warmup,
                      Duration duration, int trials, List<Double> rates, long seed, Path out, KernelConfig.Pin pin,
                      Map<String, String> settings, String commandLine) {

    /** A spec with at most one offered load: {@code rate} operations/s in total, or 0 for closed loop. */
    public RunSpec(Experiment experiment, List<String> designs, List<Integer> cpus, Duration warmup,
                   Duration duration, int trials, double rate, long seed, Path out, KernelConfig.Pin pin,
                   Map<String, String> settings, String commandLine) {
        this(experiment, designs, cpus, warmup, duration, trials, rate == 0 ? List.of() : List.of(rate), seed, out, pin,
                settings, commandLine);
    }

    /** Environment variable that caps every trial's warm-up and measured interval (bin/docs-check). */
    public static final String MAX_DURATION_ENV = "LAB_MAX_DURATION";

    /**
     * The cap {@value #MAX_DURATION_ENV} sets on every trial's warm-up and measured interval, or null.
     * It exists so a documentation check can run every documented command in seconds: a capped run
     * proves the command works and its checks pass, and says that its figures are not measurements.
     */
    public static Duration maxDuration() {
        String v = System.getenv(MAX_DURATION_ENV);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            Duration d = new org.lwktlab.lab.cli.DurationConverter().convert(v);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("must be positive");
            }
            return d;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(MAX_DURATION_ENV + "=" + v + ": not a positive duration (e.g. 300ms, 2s);"
                    + " unset it to run as asked");
        }
    }

    public RunSpec {
        Objects.requireNonNull(experiment, "experiment");
        Duration cap = maxDuration();
        if (cap != null) {
            warmup = warmup.compareTo(cap) > 0 ? cap : warmup;
            duration = duration.compareTo(cap) > 0 ? cap : duration;
        }
        if (designs.isEmpty()) {
            throw new IllegalArgumentException("--design: give at least one design; valid designs of "
                    + experiment.name() + ": " + String.join(", ", experiment.designs()));
        }
        for (String d : designs) {
            if (!experiment.designs().contains(d)) {
                throw new IllegalArgumentException("--design: " + experiment.name() + " has no design '" + d
                        + "'; valid designs: " + String.join(", ", experiment.designs()));
            }
        }
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("--cpus: give at least one CPU count");
        }
        for (int c : cpus) {
            if (c < 1 || c > 64) {
                throw new IllegalArgumentException("--cpus: CPU counts must be between 1 and 64, got " + c);
            }
            if (c < experiment.minCpus()) {
                throw new IllegalArgumentException("--cpus: " + experiment.name() + " needs at least "
                        + experiment.minCpus() + " cpus, got " + c);
            }
        }
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("--warmup must not be negative, got " + Format.duration(warmup));
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration must be positive (e.g. 500ms, 5s, 2m), got "
                    + Format.duration(duration));
        }
        if (trials < 1) {
            throw new IllegalArgumentException("--trials must be >= 1, got " + trials);
        }
        for (double rate : rates) {
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("--rate must be a positive number of operations per second"
                        + " (e.g. 50000, 200k, 1.5M), got " + Format.number(rate));
            }
        }
        if (!rates.isEmpty() && !experiment.supportsOpenLoop()) {
            throw new IllegalArgumentException("--rate: " + experiment.name() + " runs closed loop only (it does not"
                    + " pace its load); leave --rate out");
        }
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + ": is a file, not a folder");
        }
        for (String k : settings.keySet()) {
            boolean known = KernelConfig.KEYS.contains(k) || experiment.params().stream().anyMatch(p -> p.name().equals(k));
            if (!known) {
                List<String> valid = new ArrayList<>(experiment.params().stream().map(Param::name).toList());
                valid.addAll(KernelConfig.KEYS);
                throw new IllegalArgumentException("--set " + k + ": not a setting of " + experiment.name()
                        + "; valid settings: " + String.join(", ", valid));
            }
            if (k.equals("cpus")) {
                throw new IllegalArgumentException("--set cpus: use --cpus");
            }
            for (Param p : experiment.params()) {
                String problem = p.name().equals(k) ? p.problem(settings.get(k)) : null;
                if (problem != null) {
                    throw new IllegalArgumentException(problem);
                }
            }
        }
        designs = List.copyOf(new LinkedHashSet<>(designs));
        cpus = List.copyOf(new LinkedHashSet<>(cpus));
        rates = List.copyOf(new LinkedHashSet<>(rates));
        settings = Map.copyOf(settings);
        // kernel settings must parse: fail now, not in trial 5
        KernelConfig.Builder probe = KernelConfig.builder(1);
        settings.forEach((k, v) -> {
            if (KernelConfig.KEYS.contains(k)) {
                probe.set(k, v);
            }
        });
        probe.build();
    }

    /** The experiment's settings with defaults filled in. */
    public Map<String, String> experimentParams() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Param p : experiment.params()) {
            m.put(p.name(), settings.getOrDefault(p.name(), p.defaultValue()));
        }
        return m;
    }

    /** The {@code --set} values that configure the kernel. */
    public Map<String, String> kernelSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        settings.forEach((k, v) -> {
            if (KernelConfig.KEYS.contains(k)) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** True when the run offers load on a schedule ({@code --rate}). */
    public boolean openLoop() {
        return !rates.isEmpty();
    }

    /**
     * The order trials run in: trial by trial, each trial going through every CPU count, every offered
     * load and every design (A B A B ..., never all of A then all of B), so drift of the machine does not
     * favour a design, and trial t of every design ran close together in time (which is what lets the
     * comparison pair them).
     */
    public List<Slot> plan() {
        List<Slot> order = new ArrayList<>();
        List<Double> loads = rates.isEmpty() ? List.of(0.0) : rates;
        for (int t = 1; t <= trials; t++) {
            for (int c : cpus) {
                for (double r : loads) {
                    for (String d : designs) {
                        order.add(new Slot(d, c, t, r));
                    }
                }
            }
        }
        return order;
    }

    /**
     * One entry of the plan.
     *
     * @param rate offered load, operations/s in total; 0 for closed loop
     */
    public record Slot(String design, int cpus, int trial, double rate) {
        /** A closed-loop slot. */
        public Slot(String design, int cpus, int trial) {
            this(design, cpus, trial, 0);
        }

        /** {@code design=message cpus=2 trial=1} (and {@code rate=200k/s} when open loop). */
        public String label() {
            return "design=" + design + " cpus=" + cpus + (rate > 0 ? " rate=" + Format.si(rate) + "/s" : "")
                    + " trial=" + trial;
        }
    }
}
