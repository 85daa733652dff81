package org.lwktlab.lab.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.lwktlab.lab.experiment.Check;
import org.lwktlab.metrics.export.ProbeBinding;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;
import org.lwktlab.metrics.sample.ProbeSampler;
import org.lwktlab.metrics.sample.ProbeWindow;

/**
 * One trial's probes and everything that reads them: the registry (memory-mapped into the counters
 * directory when there is one, so {@code bin/lab stat} can attach), its sampler, and its binding to the
 * metrics server. {@link #close} tears them down in the only safe order: freeze the binding (the server
 * keeps the last values), stop the sampler, unmap the registry, delete its file.
 *
 * <p>Runner thread only.
 */
final class TrialProbes implements AutoCloseable {
    /** Counter slots per trial. */
    static final int CAPACITY = 16384;

    private final ProbeRegistry registry;
    private final ProbeSampler sampler;
    private final ProbeBinding binding;
    private final Path file;

    private TrialProbes(ProbeRegistry registry, ProbeSampler sampler, ProbeBinding binding, Path file) {
        this.registry = registry;
        this.sampler = sampler;
        this.binding = binding;
        this.file = file;
    }

    /**
     * Creates the trial's registry, starts its sampler and binds it to the server.
     *
     * @param perPair export per-CPU-pair series too ({@code probes.per-pair})
     * @param notes   where to say that stat cannot attach, if the counters file cannot be made
     */
    static TrialProbes open(Observation obs, Labels labels, int order, boolean perPair, Consumer<String> notes) {
        ProbeRegistry registry = null;
        Path file = null;
        if (obs.counters() != null) {
            Path f = obs.counters().fileFor(ProcessHandle.current().pid(), order);
            try {
                registry = ProbeRegistry.mapped(f, CAPACITY, labels);
                file = f;
            } catch (RuntimeException e) {
                notes.accept("counters kept in memory, so 'bin/lab stat' cannot attach: " + e.getMessage());
            }
        }
        if (registry == null) {
            registry = ProbeRegistry.inMemory(CAPACITY, labels);
        }
        ProbeSampler sampler = null;
        try {
            sampler = ProbeSampler.start(registry, obs.sampler());
            ProbeBinding binding = obs.server() == null ? null : obs.server().bind(sampler, perPair);
            return new TrialProbes(registry, sampler, binding, file);
        } catch (RuntimeException e) {
            if (sampler != null) {
                sampler.close();
            }
            registry.close();
            deleteFile(file, e);
            throw e;
        }
    }

    ProbeRegistry registry() {
        return registry;
    }

    /** Starts the measured window. */
    ProbeWindow beginWindow() {
        return ProbeWindow.begin(sampler);
    }

    /** The sampler's own health as a check: a sample that threw means a probe could not be read. */
    List<Check> checks() {
        List<Check> c = new ArrayList<>();
        long failures = sampler.failures();
        c.add(new Check("probe sampler read every probe", failures == 0, failures == 0
                ? sampler.ticks() + " samples" : failures + " of " + sampler.ticks() + " samples failed, first: "
                + sampler.firstFailure()));
        return c;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        if (binding != null) {
            binding.freeze();
        }
        try {
            sampler.close();
        } catch (RuntimeException e) {
            failure = e; // the sampler thread may still read the counters: keep them mapped
        }
        if (failure == null) {
            registry.close();
            deleteFile(file, null);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void deleteFile(Path file, RuntimeException pending) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            IllegalStateException ex = new IllegalStateException("cannot delete counters file " + file + ": "
                    + e.getMessage(), e);
            if (pending != null) {
                pending.addSuppressed(ex);
            } else {
                throw ex;
            }
        }
    }
}
