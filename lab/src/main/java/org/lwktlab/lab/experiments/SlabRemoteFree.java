package org.lwktlab.lab.experiments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.lwktlab.lab.experiment.Check;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.experiment.LoadRecorder;
import org.lwktlab.lab.experiment.Param;
import org.lwktlab.lab.experiment.Trial;
import org.lwktlab.lab.experiment.Workload;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.lock.LockKind;
import org.lwktlab.slab.Slab;
import org.lwktlab.slab.SlabConfig;
import org.lwktlab.slab.SlabStats;
import org.lwktlab.slab.workload.RemoteFreeWorkload;

/**
 * The remote-free pattern of a network stack (DragonFly's reason for a mutexless {@code kmalloc}):
 * producer CPUs allocate chunks of a size mix and hand them in batches to consumer CPUs, which free
 * them — so nearly every free is of memory another CPU allocated. One API, one load, several
 * allocators:
 * <ul>
 *   <li>{@code message} — frees batched per owner, carried home by passive IPI;</li>
 *   <li>{@code message-cas} — DragonFly's lock-free push onto the owner zone's remote list;</li>
 *   <li>{@code mutex} — one allocator under one lock ({@code lock}); {@code mutex-striped} — a lock per
 *       CPU stripe;</li>
 *   <li>{@code jvm} — {@code new byte[]} and the garbage collector.</li>
 * </ul>
 * Every design runs on the same kernel with the same producers, consumers and hand-off messages; only
 * the allocator differs. An operation is one chunk allocated, written, handed over, checked and freed;
 * its latency is the batch's time from the first allocation to the free.
 *
 * <p>Every design can run as a deterministic simulation ({@code --deterministic}): see
 * {@link #deterministicDesigns()}.
 */
public final class SlabRemoteFree implements Experiment {
    /** How often the sampler thread reads the slab's gauges, on real CPUs. */
    static final long SAMPLE_MILLIS = 10;
    /** How often a simulation samples them, in simulated time (its runs are milliseconds long). */
    static final long SIM_SAMPLE_MICROS = 100;

    @Override
    public String name() {
        return "slab-remote-free";
    }

    @Override
    public String question() {
        return "When one CPU allocates and another frees, is it faster to send freed memory home by message than to share the allocator under a lock?";
    }

    @Override
    public List<String> designs() {
        return Slab.DESIGNS;
    }

    @Override
    public List<String> defaultDesigns() {
        return List.of("message", "message-cas", "mutex", "jvm");
    }

    @Override
    public int minCpus() {
        return 2;
    }

    /**
     * Every design: the producers and consumers are LWKT threads whichever allocator sits under them. In a
     * simulation one thread steps every CPU, so the mutex designs' locks are never contended: a simulated
     * mutex run checks the hand-off protocol and the allocator's bookkeeping, not the lock.
     */
    @Override
    public List<String> deterministicDesigns() {
        return Slab.DESIGNS;
    }

    @Override
    public List<Param> params() {
        return List.of(
                new Param("batch", "64", "chunks a producer hands over in one message"),
                new Param("window", "4", "batches each producer keeps in flight"),
                new Param("sizes", RemoteFreeWorkload.DEFAULT_MIX, "size mix, size:weight,... (16..8192 B)"),
                new Param("producers", "0", "CPUs that allocate (the first ones); 0 = half, rounded up"),
                new Param("remote-batch", "64", "message design: frees carried per passive IPI at most"),
                new Param("lock", "reentrant", "mutex designs' lock: " + String.join(", ", LockKind.ids())),
                new Param("checked", "off", "verify every free at the caller and every access (on, off)"));
    }

    @Override
    public Workload prepare(Trial trial) {
        if (!Slab.DESIGNS.contains(trial.design())) {
            throw new IllegalArgumentException("slab-remote-free has no design '" + trial.design() + "'; valid: "
                    + String.join(", ", Slab.DESIGNS));
        }
        RemoteFreeWorkload.Config wc = new RemoteFreeWorkload.Config(trial.intParam("producers", 0),
                trial.intParam("batch", 1), trial.intParam("window", 1), trial.param("sizes"), trial.seed());
        SlabConfig sc = SlabConfig.builder()
                .name("slab")
                .remoteBatch(trial.intParam("remote-batch", 1))
                .lock(LockKind.parse(trial.param("lock")))
                .checked(trial.choiceParam("checked", List.of("on", "off")).equals("on"))
                .build();
        return new Run(trial, wc, sc);
    }

    /**
     * One trial: the kernel, the slab under test, the load, and a sampler of its gauges — a thread of its
     * own on real CPUs (every {@value #SAMPLE_MILLIS} ms), a step hook under a deterministic simulation
     * (every {@value #SIM_SAMPLE_MICROS} µs of simulated time, on whichever CPU steps past it), so a
     * simulation starts no thread and its samples replay.
     */
    private static final class Run implements Workload {
        private final Kernel kernel;
        private final Slab slab;
        private final RemoteFreeWorkload load;
        private final Thread sampler;
        private volatile boolean sampling = true;
        // written by the sampler only (the sampler thread, or the simulation's step hook), read after it stopped
        private long samples;
        private double zonesSum;
        private double bytesSum;
        private long zonesMax;
        private long bytesMax;
        private long nextSampleAt;

        Run(Trial t, RemoteFreeWorkload.Config wc, SlabConfig sc) {
            kernel = Kernel.boot(t.kernel().build());
            Slab s = null;
            RemoteFreeWorkload w = null;
            try {
                s = Slab.create(t.design(), kernel, sc);
                LoadRecorder[] recs = new LoadRecorder[kernel.ncpus()]; // filled below, before any load
                w = new RemoteFreeWorkload(kernel, s, wc, (c, n, lat) -> recs[c].record(lat, n));
                for (int c = 0; c < w.consumers(); c++) {
                    recs[c] = t.recorder("consumer" + c);
                }
            } catch (RuntimeException e) {
                kernel.shutdown();
                if (s != null) {
                    s.close();
                }
                throw e;
            }
            slab = s;
            load = w;
            if (kernel.simulation() != null) {
                sampler = null;
                for (int c = 0; c < kernel.ncpus(); c++) {
                    kernel.cpu(c).addStepHook(cpu -> {
                        long now = kernel.clock().nanoTime();
                        if (sampling && now - nextSampleAt >= 0) {
                            nextSampleAt = now + SIM_SAMPLE_MICROS * 1_000L;
                            sampleOnce();
                        }
                    });
                }
            } else {
                sampler = new Thread(this::sample, "slab-remote-free-sampler");
                sampler.setDaemon(true);
            }
        }

        private void sample() {
            while (sampling) {
                sampleOnce();
                LockSupport.parkNanos(SAMPLE_MILLIS * 1_000_000L);
            }
        }

        private void sampleOnce() {
            SlabStats st = slab.stats();
            samples++;
            zonesSum += st.zonesInUse();
            bytesSum += st.bytesInUse();
            zonesMax = Math.max(zonesMax, st.zonesInUse());
            bytesMax = Math.max(bytesMax, st.bytesInUse());
        }

        @Override
        public void start() {
            nextSampleAt = kernel.clock().nanoTime();
            load.start();
            if (sampler != null) {
                sampler.start();
            }
        }

        @Override
        public void stop() throws InterruptedException {
            load.stop(30);
            sampling = false;
            if (sampler != null) {
                sampler.join(5_000);
            }
            Waits.until("every remote free to reach its owner", Duration.ofSeconds(10), () -> {
                SlabStats st = slab.stats();
                return st.frees() == st.allocs();
            });
        }

        @Override
        public List<Check> verify() {
            List<Check> c = new ArrayList<>();
            List<String> problems = load.verify();
            c.add(new Check("every chunk the producers allocated was checked and freed by a consumer", problems.isEmpty(),
                    problems.isEmpty() ? load.allocated() + " chunks" : String.join("; ", problems)));
            SlabStats st = slab.stats();
            c.add(Check.equal("the slab applied exactly one free per allocation", st.allocs(), st.frees()));
            c.add(Check.equal("no free was refused (double free, unknown handle)", 0, st.misuses()));
            c.add(Check.equal("no chunk was live twice (tags read back intact)", 0, load.mismatches()));
            c.add(Check.equal("bytes in use back to 0", 0, st.bytesInUse()));
            return c;
        }

        @Override
        public Map<String, Double> metrics(long ops) {
            SlabStats st = slab.stats();
            Map<String, Double> m = new LinkedHashMap<>();
            if (st.remoteFreeIpis() > 0) {
                m.put("remote_frees_per_ipi", st.remoteFreesPerIpi());
            }
            if (st.allocs() > 0 && st.remoteFrees() > 0) { // designs with owners: message, message-cas, mutex-striped
                m.put("remote_free_fraction", (double) st.remoteFrees() / st.allocs());
            }
            if (samples > 0) {
                m.put("zones_in_use_mean", zonesSum / samples);
                m.put("zones_in_use_max", (double) zonesMax);
                m.put("bytes_in_use_mean", bytesSum / samples);
                m.put("bytes_in_use_max", (double) bytesMax);
            }
            m.put("zones_taken", (double) st.zonesTaken());
            m.put("zones_returned", (double) st.zonesReturned());
            return m;
        }

        @Override
        public List<Check> shutdown() {
            sampling = false;
            List<Check> c = Check.fromShutdown(kernel.shutdown());
            slab.close();
            return c;
        }
    }
}
