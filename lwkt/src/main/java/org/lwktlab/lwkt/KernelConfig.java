package org.lwktlab.lwkt;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.lwktlab.ipi.CpuMask;
import org.lwktlab.ipi.IdleStrategy;
import org.lwktlab.ipi.SubmissionQueue;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * Everything {@link Kernel#boot} needs, validated when built: every bad value is rejected with a
 * {@link ConfigException} naming the setting.
 *
 * @param name               the kernel's name (thread names, reports)
 * @param cpus               simulated CPUs, 1..64
 * @param ringCapacity       entries per IPI ring, a power of two >= 2
 * @param submissionCapacity entries per CPU submission queue, a power of two >= 2
 * @param submissionPolicy   what an outside thread does when a submission queue is full
 * @param idle               idle strategy (each CPU gets a copy)
 * @param pin                pinning policy
 * @param probes             probes on (false turns every probe write off, to measure their cost)
 * @param perPairProbes      also export per-CPU-pair ring series (N²)
 * @param probeRegistry      where probes go; null for a fresh in-memory registry
 * @param probeCapacity      counter slots of that fresh registry
 * @param probeLabels        labels on every series of that fresh registry (e.g. {@code design})
 * @param latencySampleEvery stamp one message in this many for latency: 0 (none) or a power of two
 * @param latencySampleGapMicros stretch that period (up to 64 times) while a CPU's samples would come
 *                           closer than this many microseconds apart (0 = never stretch; see
 *                           {@code LatencySampler})
 * @param errorLogLimit      handler errors kept for the shutdown report
 * @param debug              debug facilities switched on ({@code --debug}); empty by default
 * @param provenanceFrames   stack frames kept per hop when {@link Debug#PROVENANCE} is on
 * @param provenanceDepth    hops and causes kept per origin chain when {@link Debug#PROVENANCE} is on
 * @param simulation         deterministic simulation settings, or null for real CPU threads
 * @param observers          told when the kernel boots and when it has shut down (tools such as
 *                           {@code bin/lab trace})
 */
public record KernelConfig(String name, int cpus, int ringCapacity, int submissionCapacity,
                           SubmissionQueue.FullPolicy submissionPolicy, IdleStrategy idle, Pin pin,
                           boolean probes, boolean perPairProbes, ProbeRegistry probeRegistry, int probeCapacity,
                           Labels probeLabels, int latencySampleEvery, int latencySampleGapMicros, int errorLogLimit, Set<Debug> debug,
                           int provenanceFrames, int provenanceDepth, SimConfig simulation,
                           List<KernelObserver> observers) {

    /** Debug facilities, off unless named in the {@code debug} setting. */
    public enum Debug {
        /** Every message records who sent it, from where, and through which hops ({@link Origin}). */
        PROVENANCE;

        /** The name used on the command line. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses a comma-separated list ({@code "provenance"}); {@code ""} or {@code "none"} is empty. */
        public static EnumSet<Debug> parseList(String v) {
            EnumSet<Debug> set = EnumSet.noneOf(Debug.class);
            for (String part : v.split(",")) {
                String p = part.trim().toLowerCase(Locale.ROOT);
                if (p.isEmpty() || p.equals("none")) {
                    continue;
                }
                Debug found = null;
                for (Debug d : values()) {
                    if (d.id().equals(p)) {
                        found = d;
                    }
                }
                if (found == null) {
                    throw new ConfigException("debug", "has an unknown facility '" + part.trim() + "'; valid: "
                            + String.join(", ", ids()) + " (comma-separated), or none");
                }
                set.add(found);
            }
            return set;
        }

        /** Every facility's command-line name. */
        public static List<String> ids() {
            List<String> l = new ArrayList<>();
            for (Debug d : values()) {
                l.add(d.id());
            }
            return l;
        }
    }

    /**
     * Deterministic simulation: all CPUs are stepped by one thread in an order drawn from {@code seed}
     * (see {@link Simulation}).
     *
     * @param seed      seeds the scheduler's choices; the same seed replays the same interleaving
     * @param stepNanos virtual nanoseconds each step advances the simulated clock, >= 1
     * @param eventLog  where every step is written, or null for none
     */
    public record SimConfig(long seed, long stepNanos, EventLog eventLog) {
        /** Virtual time one step takes unless set: 1 µs. */
        public static final long DEFAULT_STEP_NANOS = 1_000;

        public SimConfig {
            if (stepNanos < 1) {
                throw new ConfigException("sim.step-nanos", "must be >= 1, got " + stepNanos);
            }
        }
    }

    /** Pinning policy. */
    public enum Pin {
        /** Pin each CPU thread to a core when the machine has at least as many cores as CPUs. */
        AUTO,
        /** Pin, and refuse to boot if there are fewer cores than CPUs. */
        ON,
        /** Never pin. */
        OFF
    }

    /** Setting names accepted by {@link Builder#set}. */
    public static final List<String> KEYS = List.of("name", "cpus", "ring.capacity", "submission.capacity",
            "submission.policy", "idle", "pin", "probes", "probes.per-pair", "probe.capacity",
            "latency.sample-every", "latency.sample-gap-us", "errors.keep", "debug", "provenance.frames", "provenance.depth", "sim.step-nanos");

    public KernelConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(submissionPolicy, "submissionPolicy");
        Objects.requireNonNull(idle, "idle");
        Objects.requireNonNull(pin, "pin");
        Objects.requireNonNull(probeLabels, "probeLabels");
        Objects.requireNonNull(debug, "debug");
        Objects.requireNonNull(observers, "observers");
        debug = debug.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(debug));
        observers = List.copyOf(observers);
        if (name.isBlank()) {
            throw new ConfigException("name", "must not be blank");
        }
        if (cpus < 1 || cpus > CpuMask.MAX_CPUS) {
            throw new ConfigException("cpus", "must be between 1 and " + CpuMask.MAX_CPUS + ", got " + cpus);
        }
        if (ringCapacity < 2 || Integer.bitCount(ringCapacity) != 1) {
            throw new ConfigException("ring.capacity", "must be a power of two >= 2, got " + ringCapacity);
        }
        if (submissionCapacity < 2 || Integer.bitCount(submissionCapacity) != 1) {
            throw new ConfigException("submission.capacity", "must be a power of two >= 2, got " + submissionCapacity);
        }
        if (probeCapacity < 64) {
            throw new ConfigException("probe.capacity", "must be >= 64, got " + probeCapacity);
        }
        if (latencySampleEvery < 0 || Integer.bitCount(latencySampleEvery) > 1) {
            throw new ConfigException("latency.sample-every", "must be 0 (off) or a power of two, got " + latencySampleEvery);
        }
        if (latencySampleGapMicros < 0) {
            throw new ConfigException("latency.sample-gap-us", "must be >= 0 (0 = a fixed period), got " + latencySampleGapMicros);
        }
        if (errorLogLimit < 0) {
            throw new ConfigException("errors.keep", "must be >= 0, got " + errorLogLimit);
        }
        if (provenanceFrames < 1 || provenanceFrames > 256) {
            throw new ConfigException("provenance.frames", "must be between 1 and 256, got " + provenanceFrames);
        }
        if (provenanceDepth < 1 || provenanceDepth > 1024) {
            throw new ConfigException("provenance.depth", "must be between 1 and 1024, got " + provenanceDepth);
        }
        if (pin == Pin.ON && simulation == null) {
            int cores = Runtime.getRuntime().availableProcessors();
            if (cores < cpus) {
                throw new ConfigException("pin", "is 'on' but this machine has " + cores + " cores for " + cpus
                        + " cpus; use pin=auto (runs unpinned when oversubscribed) or fewer cpus");
            }
        }
    }

    /** True when {@code d} is switched on. */
    public boolean debugging(Debug d) {
        return debug.contains(d);
    }

    /** True when the kernel runs as a deterministic simulation. */
    public boolean deterministic() {
        return simulation != null;
    }

    /** A builder with defaults for {@code cpus} CPUs. */
    public static Builder builder(int cpus) {
        return new Builder().cpus(cpus);
    }

    /** A builder with all defaults (1 CPU). */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link KernelConfig}; each setter validates at {@link #build()}. */
    public static final class Builder {
        private String name = "kernel";
        private int cpus = 1;
        private int ringCapacity = 256;
        private int submissionCapacity = 4096;
        private SubmissionQueue.FullPolicy submissionPolicy = SubmissionQueue.FullPolicy.WAIT;
        private IdleStrategy idle = IdleStrategy.defaultStrategy();
        private Pin pin = Pin.AUTO;
        private boolean probes = true;
        private boolean perPairProbes;
        private ProbeRegistry probeRegistry;
        private int probeCapacity = 8192;
        private Labels probeLabels = Labels.empty();
        private int latencySampleEvery = 64;
        private int latencySampleGapMicros = 50;
        private int errorLogLimit = 100;
        private Set<Debug> debug = EnumSet.noneOf(Debug.class);
        private int provenanceFrames = 12;
        private int provenanceDepth = 8;
        private boolean deterministic;
        private long seed;
        private long stepNanos = SimConfig.DEFAULT_STEP_NANOS;
        private EventLog eventLog;
        private final List<KernelObserver> observers = new ArrayList<>();

        private Builder() {}

        public Builder name(String v) {
            name = v;
            return this;
        }

        public Builder cpus(int v) {
            cpus = v;
            return this;
        }

        public Builder ringCapacity(int v) {
            ringCapacity = v;
            return this;
        }

        public Builder submissionCapacity(int v) {
            submissionCapacity = v;
            return this;
        }

        public Builder submissionPolicy(SubmissionQueue.FullPolicy v) {
            submissionPolicy = v;
            return this;
        }

        public Builder idle(IdleStrategy v) {
            idle = v;
            return this;
        }

        public Builder pin(Pin v) {
            pin = v;
            return this;
        }

        public Builder probes(boolean v) {
            probes = v;
            return this;
        }

        public Builder perPairProbes(boolean v) {
            perPairProbes = v;
            return this;
        }

        /** Registers probes in {@code v} (e.g. a memory-mapped one) instead of a fresh registry. */
        public Builder probeRegistry(ProbeRegistry v) {
            probeRegistry = v;
            return this;
        }

        public Builder probeCapacity(int v) {
            probeCapacity = v;
            return this;
        }

        public Builder probeLabels(Labels v) {
            probeLabels = v;
            return this;
        }

        public Builder latencySampleEvery(int v) {
            latencySampleEvery = v;
            return this;
        }

        /** Microseconds below which a CPU's latency samples stretch their period (0 = a fixed period). */
        public Builder latencySampleGapMicros(int v) {
            latencySampleGapMicros = v;
            return this;
        }

        public Builder errorLogLimit(int v) {
            errorLogLimit = v;
            return this;
        }

        /** Switches debug facilities on (replacing the set). */
        public Builder debug(Set<Debug> v) {
            debug = v.isEmpty() ? EnumSet.noneOf(Debug.class) : EnumSet.copyOf(v);
            return this;
        }

        /** Switches one debug facility on. */
        public Builder debug(Debug d) {
            debug.add(Objects.requireNonNull(d, "debug"));
            return this;
        }

        /** Stack frames kept per hop with provenance on (default 12). */
        public Builder provenanceFrames(int v) {
            provenanceFrames = v;
            return this;
        }

        /** Hops and causes kept per origin chain with provenance on (default 8). */
        public Builder provenanceDepth(int v) {
            provenanceDepth = v;
            return this;
        }

        /**
         * Runs the kernel as a deterministic simulation scheduled from {@code seed} (see
         * {@link Simulation}): no CPU threads, no pinning, no idling; one driver thread steps every CPU.
         */
        public Builder deterministic(long seed) {
            this.deterministic = true;
            this.seed = seed;
            return this;
        }

        /** Virtual nanoseconds per simulation step (default 1000). */
        public Builder stepNanos(long v) {
            stepNanos = v;
            return this;
        }

        /** Where the simulation writes every step (deterministic mode only). */
        public Builder eventLog(EventLog v) {
            eventLog = v;
            return this;
        }

        /** Adds an observer told of boot and shutdown. */
        public Builder observer(KernelObserver o) {
            observers.add(Objects.requireNonNull(o, "observer"));
            return this;
        }

        /**
         * Sets one value by its name, as {@code bin/lab run --set key=value} does.
         *
         * @throws ConfigException for an unknown key or a value that does not parse
         */
        public Builder set(String key, String value) {
            String v = value.trim();
            try {
                switch (key) {
                    case "name" -> name = v;
                    case "cpus" -> cpus = Integer.parseInt(v);
                    case "ring.capacity" -> ringCapacity = Integer.parseInt(v);
                    case "submission.capacity" -> submissionCapacity = Integer.parseInt(v);
                    case "submission.policy" -> submissionPolicy = SubmissionQueue.FullPolicy.valueOf(v.toUpperCase(Locale.ROOT));
                    case "idle" -> idle = IdleStrategy.parse(v);
                    case "pin" -> pin = Pin.valueOf(v.toUpperCase(Locale.ROOT));
                    case "probes" -> probes = parseBoolean(key, v);
                    case "probes.per-pair" -> perPairProbes = parseBoolean(key, v);
                    case "probe.capacity" -> probeCapacity = Integer.parseInt(v);
                    case "latency.sample-every" -> latencySampleEvery = Integer.parseInt(v);
                    case "latency.sample-gap-us" -> latencySampleGapMicros = Integer.parseInt(v);
                    case "errors.keep" -> errorLogLimit = Integer.parseInt(v);
                    case "debug" -> debug = Debug.parseList(v);
                    case "provenance.frames" -> provenanceFrames = Integer.parseInt(v);
                    case "provenance.depth" -> provenanceDepth = Integer.parseInt(v);
                    case "sim.step-nanos" -> stepNanos = Long.parseLong(v);
                    default -> throw new ConfigException(key, "is not a kernel setting; valid settings: " + String.join(", ", KEYS));
                }
            } catch (ConfigException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                String hint = switch (key) {
                    case "submission.policy" -> "wait or fail";
                    case "pin" -> "auto, on or off";
                    case "idle" -> e.getMessage();
                    default -> "a number";
                };
                throw new ConfigException(key, "has a bad value '" + value + "'; expected " + hint);
            }
            return this;
        }

        private static boolean parseBoolean(String key, String v) {
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "on", "yes", "1" -> true;
                case "false", "off", "no", "0" -> false;
                default -> throw new ConfigException(key, "has a bad value '" + v + "'; expected on or off");
            };
        }

        /** Validates and builds. */
        public KernelConfig build() {
            if (eventLog != null && !deterministic) {
                throw new ConfigException("event-log", "is written only by a deterministic simulation; set deterministic(seed) too");
            }
            SimConfig sim = deterministic ? new SimConfig(seed, stepNanos, eventLog) : null;
            return new KernelConfig(name, cpus, ringCapacity, submissionCapacity, submissionPolicy, idle, pin, probes,
                    perPairProbes, probeRegistry, probeCapacity, probeLabels, latencySampleEvery, latencySampleGapMicros, errorLogLimit, debug,
                    provenanceFrames, provenanceDepth, sim, observers);
        }
    }
}
