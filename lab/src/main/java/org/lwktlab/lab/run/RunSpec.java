package org.lwktlab.lab.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * @param settings       {@code --set} values: kernel settings and the experiment's own, as given
 * @param commandLine    the command that reproduces the run
 * @param deterministic  run every trial as a deterministic simulation scheduled from the trial's seed
 *                       ({@code --deterministic}); warm-up and duration are then simulated time
 * @param eventLog       where the simulation writes every step ({@code --event-log}), or null
 */
public record RunSpec(Experiment experiment, List<String> designs, List<Integer> cpus, Duration warmup,
                      Duration duration, int trials, double rate, long seed, Path out, KernelConfig.Pin pin,
                      Map<String, String> settings, String commandLine, boolean deterministic, Path eventLog) {

    /** A run on real CPU threads. */
    public RunSpec(Experiment experiment, List<String> designs, List<Integer> cpus, Duration warmup, Duration duration,
                   int trials, double rate, long seed, Path out, KernelConfig.Pin pin, Map<String, String> settings,
                   String commandLine) {
        this(experiment, designs, cpus, warmup, duration, trials, rate, seed, out, pin, settings, commandLine, false, null);
    }

    public RunSpec {
        Objects.requireNonNull(experiment, "experiment");
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
            throw new IllegalArgumentException("--warmup must not be negative, got " + warmup);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration must be positive, got " + duration);
        }
        if (trials < 1) {
            throw new IllegalArgumentException("--trials must be >= 1, got " + trials);
        }
        if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("--rate must be a positive number of operations per second, got " + rate);
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
        }
        if (deterministic) {
            List<String> ok = experiment.deterministicDesigns();
            for (String d : designs) {
                if (!ok.contains(d)) {
                    throw new IllegalArgumentException("--deterministic: design '" + d + "' of " + experiment.name()
                            + " cannot run deterministically (its load comes from threads outside the kernel, or it"
                            + " has no kernel); designs that can: " + (ok.isEmpty() ? "none" : String.join(", ", ok)));
                }
            }
            if (rate > 0) {
                throw new IllegalArgumentException("--rate cannot be combined with --deterministic: open-loop pacing"
                        + " waits on real time; run closed loop");
            }
            if (pin == KernelConfig.Pin.ON) {
                throw new IllegalArgumentException("--pin cannot be combined with --deterministic: one thread simulates"
                        + " every CPU");
            }
        } else if (eventLog != null) {
            throw new IllegalArgumentException("--event-log needs --deterministic: only a simulation logs its steps");
        }
        designs = List.copyOf(designs);
        cpus = List.copyOf(cpus);
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

    /**
     * The order trials run in: trial by trial, each trial going through every CPU count and every design
     * (A B A B ..., never all of A then all of B), so drift of the machine does not favour a design.
     */
    public List<Slot> plan() {
        List<Slot> order = new ArrayList<>();
        for (int t = 1; t <= trials; t++) {
            for (int c : cpus) {
                for (String d : designs) {
                    order.add(new Slot(d, c, t));
                }
            }
        }
        return order;
    }

    /** One entry of the plan. */
    public record Slot(String design, int cpus, int trial) {}
}
