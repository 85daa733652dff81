package org.lwktlab.slab;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.KernelConfig;
import org.lwktlab.lwkt.ShutdownReport;

/**
 * Kernel.shutdown() lists every chunk still allocated, per zone and size class — on real CPU threads and
 * under a deterministic simulation, where the per-CPU designs' report (each CPU lists its own zones)
 * drives the simulation instead of waiting in real time.
 */
class LeakReportTest {
    static final List<String> DESIGNS = Slab.DESIGNS;

    private static KernelConfig.Builder config(boolean simulated) {
        return simulated ? OnCpu.config(2).deterministic(17) : OnCpu.config(2);
    }

    @ParameterizedTest
    @FieldSource("DESIGNS")
    void theShutdownReportListsADeliberatelyLeakedChunk(String design) {
        listsADeliberatelyLeakedChunk(design, false);
    }

    @ParameterizedTest
    @FieldSource("DESIGNS")
    void underASimulationTheReportListsTheLeakToo(String design) {
        listsADeliberatelyLeakedChunk(design, true);
    }

    @ParameterizedTest
    @FieldSource("DESIGNS")
    void nothingLeakedSaysSo(String design) {
        nothingLeaked(design, false);
    }

    @ParameterizedTest
    @FieldSource("DESIGNS")
    void underASimulationNothingLeakedSaysSo(String design) {
        nothingLeaked(design, true);
    }

    private static void listsADeliberatelyLeakedChunk(String design, boolean simulated) {
        Kernel k = Kernel.boot(config(simulated).build());
        Slab s = Slab.create(design, k, OnCpu.small().name("leaky").build());
        long leaked = OnCpu.call(k, 1, () -> {
            for (int i = 0; i < 10; i++) {
                s.free(s.alloc(700));
            }
            return s.alloc(700);
        });
        long fromOutside = s.alloc(30);
        ShutdownReport r = k.shutdown();
        assertFalse(r.clean(), "a leak makes the shutdown unclean");
        assertTrue(r.problems().stream().anyMatch(p -> p.contains("slab 'leaky' (" + design + "): 2 chunk(s), 800 B still allocated")),
                r.toString());
        assertTrue(r.problems().stream().noneMatch(p -> p.contains("did not list") || p.contains("incomplete")), r.toString());
        Map.Entry<String, List<String>> section = r.sections().entrySet().stream()
                .filter(e -> e.getKey().equals("slab 'leaky' (" + design + ") leaks")).findFirst()
                .orElseThrow(() -> new AssertionError("no leak section: " + r));
        String text = String.join("\n", section.getValue());
        assertTrue(text.contains(String.format("0x%016x", leaked)), "the leaked handle is listed:\n" + text);
        assertTrue(text.contains(String.format("0x%016x", fromOutside)), "the outside thread's leak is listed:\n" + text);
        assertTrue(text.contains("size class 768 B: 1 chunk(s) outstanding"), text);
        assertTrue(text.contains("size class 32 B: 1 chunk(s) outstanding"), text);
        if (!design.equals("jvm")) {
            assertTrue(text.contains(design.startsWith("message") ? "cpu 1, zone " : "zone "), text);
        }
        s.close();
    }

    private static void nothingLeaked(String design, boolean simulated) {
        Kernel k = Kernel.boot(config(simulated).build());
        Slab s = Slab.create(design, k, OnCpu.small().build());
        long h = OnCpu.call(k, 0, () -> s.alloc(64));
        OnCpu.run(k, 1, () -> s.free(h));
        ShutdownReport r = k.shutdown();
        assertTrue(r.clean(), r.toString());
        assertTrue(r.toString().contains("none: every chunk allocated was freed"), r.toString());
        s.close();
    }
}
