package org.lwktlab.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.UnaryOperator;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.KernelConfig;
import org.lwktlab.lwkt.ShutdownReport;
import org.lwktlab.slab.Slab;
import org.lwktlab.slab.SlabConfig;

/** A kernel, a slab of 4 KiB pages and a VFS of one design; closing checks that nothing leaked. */
final class Fixture implements AutoCloseable {
    /** The designs every behaviour test runs against. */
    static final List<String> DESIGNS = List.of("message", "message-copy", "mutex");

    final Kernel kernel;
    final Slab slab;
    final SlabPageMemory mem;
    final Vfs vfs;
    final String design;

    private Fixture(String design, int cpus, long arenaBytes, UnaryOperator<VfsConfig> tweak) {
        this.design = design;
        kernel = Kernel.boot(KernelConfig.builder(cpus).name("vfs-test-" + design).pin(KernelConfig.Pin.OFF).build());
        slab = Slab.create(design.equals("mutex") ? "mutex" : "message", kernel,
                SlabConfig.builder().name("vfs-pages").arenaBytes(arenaBytes).build());
        mem = new SlabPageMemory(slab);
        VfsConfig cfg = tweak.apply(VfsConfig.defaults().withName("test"));
        vfs = switch (design) {
            case "message" -> Vfs.message(kernel, mem, cfg.withDataMode(DataMode.XIO));
            case "message-copy" -> Vfs.message(kernel, mem, cfg.withDataMode(DataMode.COPY));
            case "mutex" -> Vfs.mutex(mem, kernel.probes(), cfg);
            default -> throw new IllegalArgumentException(design);
        };
    }

    static Fixture of(String design, int cpus) {
        return new Fixture(design, cpus, 16L << 20, UnaryOperator.identity());
    }

    static Fixture of(String design, int cpus, long arenaBytes) {
        return new Fixture(design, cpus, arenaBytes, UnaryOperator.identity());
    }

    /** A fixture whose VFS configuration is the defaults changed by {@code tweak}. */
    static Fixture of(String design, int cpus, UnaryOperator<VfsConfig> tweak) {
        return new Fixture(design, cpus, 16L << 20, tweak);
    }

    VfsSession session(String name) {
        return vfs.session(name, null);
    }

    @Override
    public void close() {
        assertEquals(0, vfs.heldPages(), "pages still held by XIOs");
        vfs.close();
        ShutdownReport r = kernel.shutdown();
        slab.close();
        assertTrue(r.clean(), () -> "kernel shutdown not clean: " + r);
    }
}
