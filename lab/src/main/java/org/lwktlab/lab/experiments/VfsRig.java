package org.lwktlab.lab.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.lwktlab.lab.experiment.Check;
import org.lwktlab.lab.experiment.Trial;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.lock.LockKind;
import org.lwktlab.metrics.probe.ProbeRegistry;
import org.lwktlab.metrics.probe.ProbeSeries;
import org.lwktlab.slab.Slab;
import org.lwktlab.slab.SlabConfig;
import org.lwktlab.vfs.DataMode;
import org.lwktlab.vfs.SlabPageMemory;
import org.lwktlab.vfs.Vfs;
import org.lwktlab.vfs.VfsConfig;

/**
 * What both VFS experiments stand on: a kernel (its CPUs run the load generators in every design, and
 * the vnode servers in the message design), a slab of 4 KiB pages for file data, and the filesystem of
 * the trial's design — {@code message} (XIO), {@code message-copy}, or {@code mutex}. The slab design is
 * the same for every VFS design ({@code slab} setting), so only the VFS differs.
 */
final class VfsRig {
    static final List<String> DESIGNS = List.of("message", "message-copy", "mutex");
    /**
     * The designs that run as a deterministic simulation: in both message designs the clients and vnode
     * servers are LWKT threads, time is read through {@code Lwkt.nanoTime()}, and every wait (setup, stop,
     * the page slab's leak report, unmount) drives the simulation. Not {@code mutex}: its clients are LWKT
     * threads too, but they hold vnode locks (not reentrant) while the page slab may send an IPI; when the
     * ring is full a simulated CPU lets another CPU step on the same driver thread, and a client there
     * taking the same lock would block that one thread for good.
     */
    static final List<String> DETERMINISTIC = List.of("message", "message-copy");

    final Kernel kernel;
    final Slab slab;
    final Vfs vfs;
    private boolean closed;

    VfsRig(Trial t, String slabDesign, LockKind lock, long arenaBytes) {
        kernel = Kernel.boot(t.kernel().build());
        try {
            slab = Slab.create(slabDesign, kernel, SlabConfig.builder().name("vfs-pages").arenaBytes(arenaBytes).build());
            SlabPageMemory mem = new SlabPageMemory(slab);
            VfsConfig cfg = VfsConfig.defaults().withName(t.experiment()).withLockKind(lock);
            vfs = switch (t.design()) {
                case "message" -> Vfs.message(kernel, mem, cfg.withDataMode(DataMode.XIO));
                case "message-copy" -> Vfs.message(kernel, mem, cfg.withDataMode(DataMode.COPY));
                case "mutex" -> Vfs.mutex(mem, kernel.probes(), cfg);
                default -> throw new IllegalArgumentException(t.experiment() + " has no design '" + t.design()
                        + "'; designs: " + String.join(", ", DESIGNS));
            };
        } catch (RuntimeException e) {
            kernel.shutdown();
            throw e;
        }
    }

    /** Unmounts, shuts the kernel down (its report includes the slab's leak check) and frees the arena. */
    List<Check> shutdown() {
        if (closed) {
            return List.of();
        }
        closed = true;
        List<Check> checks = new ArrayList<>();
        long held = vfs.heldPages();
        checks.add(Check.equal("no page left held by an XIO", 0, held));
        vfs.close();
        checks.addAll(Check.fromShutdown(kernel.shutdown()));
        slab.close();
        return checks;
    }

    /**
     * Counter sums by name (over labels, except that a {@code layer} label is kept: {@code name{layer=fs}})
     * now: the window's figures are the difference of two of these.
     */
    static Map<String, Long> counters(ProbeRegistry r, String prefix) {
        Map<String, Long> m = new TreeMap<>();
        for (ProbeSeries s : r.series()) {
            String name = s.id().name();
            if (!name.startsWith(prefix)) {
                continue;
            }
            String layer = s.id().labels().get("layer");
            if (layer != null) {
                name = name + "{layer=" + layer + "}";
            }
            if (s instanceof ProbeSeries.Counter c) {
                m.merge(name, c.value(), Long::sum);
            } else if (s instanceof ProbeSeries.FunctionCounter fc) {
                m.merge(name, fc.value(), Long::sum);
            }
        }
        return m;
    }
}
