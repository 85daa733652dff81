package org.lwktlab.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.ShutdownReport;
import org.lwktlab.slab.SlabMisuseException.Kind;

/** Each misuse gives its error and leaves the allocator intact. */
class MisuseTest {
    static final List<String> DESIGNS = Slab.DESIGNS;

    private static SlabMisuseException expect(Kind kind, org.junit.jupiter.api.function.Executable e) {
        SlabMisuseException x = assertThrows(SlabMisuseException.class, e);
        assertEquals(kind, x.kind(), x.getMessage());
        return x;
    }

    /** The allocator still hands out distinct, working chunks. */
    private static void stillSound(Kernel k, Slab s) {
        OnCpu.run(k, 0, () -> {
            long[] hs = new long[64];
            for (int i = 0; i < hs.length; i++) {
                hs[i] = s.alloc(64);
                s.putLong(hs[i], 0, i);
            }
            for (int i = 0; i < hs.length; i++) {
                assertEquals(i, s.getLong(hs[i], 0), "two live chunks overlap after a refused misuse");
                s.free(hs[i]);
            }
        });
    }

    @ParameterizedTest
    @FieldSource("DESIGNS")
    void doubleFreeOnTheOwnerIsRefusedAtOnce(String design) {
        try (Kernel k = Kernel.boot(OnCpu.config(2).build())) {
            Slab s = Slab.create(design, k, OnCpu.small().build());
            OnCpu.run(k, 0, () -> {
                long h = s.alloc(100);
                s.free(h);
                SlabMisuseException e = expect(Kind.DOUBLE_FREE, () -> s.free(h));
                assertTrue(e.getMessage().contains("double free") && e.getMessage().contains(String.format("0x%016x", h)),
                        e.getMessage());
                long again = s.alloc(100); // the zone designs reuse the chunk (LIFO) under a new generation
                boolean reused = SlabHandle.offset(again) == SlabHandle.offset(h);
                assertTrue(reused || design.equals("jvm"), "LIFO reuse expected in " + design);
                expect(reused ? Kind.STALE_HANDLE : Kind.DOUBLE_FREE, () -> s.free(h));
                s.free(again);
            });
            stillSound(k, s);
            assertEquals(2, s.stats().misuses());
        }
    }

    @ParameterizedTest
    @FieldSource("DESIGNS")
    void foreignAndUnknownHandlesAreRefused(String design) {
        try (Kernel k = Kernel.boot(OnCpu.config(2).build())) {
            Slab s = Slab.create(design, k, OnCpu.small().name("a").build());
            Slab other = Slab.create(design, k, OnCpu.small().name("b").build());
            OnCpu.run(k, 0, () -> {
                long theirs = other.alloc(64);
                SlabMisuseException e = expect(Kind.FOREIGN_HANDLE, () -> s.free(theirs));
                assertTrue(e.getMessage().contains("another slab"), e.getMessage());
                expect(Kind.FOREIGN_HANDLE, () -> s.getLong(theirs, 0));
                other.free(theirs);
                expect(Kind.UNKNOWN_HANDLE, () -> s.free(Slab.NULL));
                expect(Kind.UNKNOWN_HANDLE, () -> s.free(12345));
                long mine = s.alloc(64);
                if (!design.equals("jvm")) {
                    expect(Kind.UNKNOWN_HANDLE, () -> s.free(mine + 8)); // not a chunk start
                    long beyond = (mine & ~SlabHandle.OFFSET_MASK) | (s.config().arenaBytes() + 64);
                    expect(Kind.UNKNOWN_HANDLE, () -> s.free(beyond));
                } else {
                    expect(Kind.UNKNOWN_HANDLE, () -> s.free((mine & ~SlabHandle.OFFSET_MASK) | SlabHandle.OFFSET_MASK));
                }
                s.free(mine);
            });
            stillSound(k, s);
        }
    }

    @ParameterizedTest
    @FieldSource("DESIGNS")
    void checkedModeCatchesUseAfterFreeAndOverruns(String design) {
        try (Kernel k = Kernel.boot(OnCpu.config(2).build())) {
            Slab s = Slab.create(design, k, OnCpu.small().checked(true).build());
            OnCpu.run(k, 0, () -> {
                long h = s.alloc(100);
                assertEquals(112, s.usableSize(h));
                s.putLong(h, 104, 1);
                SlabMisuseException e = expect(Kind.OUT_OF_BOUNDS, () -> s.putLong(h, 108, 1));
                assertTrue(e.getMessage().contains("112 B chunk"), e.getMessage());
                expect(Kind.OUT_OF_BOUNDS, () -> s.getByte(h, -1));
                s.free(h);
                e = expect(Kind.USE_AFTER_FREE, () -> s.getLong(h, 0));
                assertTrue(e.getMessage().contains("use after free"), e.getMessage());
                expect(Kind.USE_AFTER_FREE, () -> s.putInt(h, 0, 1));
                long again = s.alloc(100);
                expect(Kind.USE_AFTER_FREE, () -> s.getLong(h, 0)); // the chunk lives again, under a new handle
                s.putLong(again, 0, 5);
                assertEquals(5, s.getLong(again, 0));
                s.free(again);
            });
            stillSound(k, s);
        }
    }

    @ParameterizedTest
    @FieldSource("DESIGNS")
    void remoteDoubleFreeIsRefusedAndReportedEvenWhenFoundByTheOwner(String design) {
        Kernel k = Kernel.boot(OnCpu.config(2).build());
        Slab s = Slab.create(design, k, OnCpu.small().build());
        long h = OnCpu.call(k, 0, () -> s.alloc(256));
        OnCpu.run(k, 1, () -> s.free(h));
        boolean deferred = design.equals("message"); // unchecked message: the owner verifies, after the caller moved on
        if (deferred) {
            OnCpu.run(k, 1, () -> s.free(h)); // accepted into the batch; refused when cpu 0 applies it
            OnCpu.until("cpu 0 to refuse the second free", () -> s.stats().misuses() == 1);
            assertEquals(Kind.DOUBLE_FREE, s.misuses().getFirst().kind());
        } else {
            SlabMisuseException e = assertThrows(SlabMisuseException.class, () -> OnCpu.run(k, 1, () -> s.free(h)));
            assertEquals(Kind.DOUBLE_FREE, e.kind(), e.getMessage());
        }
        stillSound(k, s);
        assertEquals(0, s.stats().bytesInUse());
        ShutdownReport r = k.shutdown();
        if (deferred) {
            assertTrue(r.problems().stream().anyMatch(p -> p.contains("refused by a chunk's owner")), r.toString());
        } else {
            assertTrue(r.clean(), r.toString());
        }
        assertTrue(r.sections().keySet().stream().anyMatch(t -> t.contains("misuses")), r.toString());
        s.close();
    }

    @Test
    void outsideDoubleFreeInTheMessageDesignIsRefusedByTheOwner() {
        Kernel k = Kernel.boot(OnCpu.config(2).build());
        Slab s = Slab.create("message", k, OnCpu.small().build());
        long h = s.alloc(64);
        s.free(h);
        s.free(h);
        OnCpu.until("the owner to refuse the second free", () -> s.stats().misuses() == 1);
        SlabMisuseException e = s.misuses().getFirst();
        assertEquals(Kind.DOUBLE_FREE, e.kind());
        assertEquals(h, e.handle());
        assertNotEquals(0, s.stats().frees());
        assertTrue(!k.shutdown().clean());
        s.close();
    }

    @ParameterizedTest
    @FieldSource("DESIGNS")
    void theSlabCannotBeClosedWhileTheKernelRuns(String design) {
        Kernel k = Kernel.boot(OnCpu.config(1).build());
        Slab s = Slab.create(design, k, OnCpu.small().build());
        IllegalStateException e = assertThrows(IllegalStateException.class, s::close);
        assertTrue(e.getMessage().contains("after Kernel.shutdown()"), e.getMessage());
        k.shutdown();
        s.close();
        assertThrows(IllegalStateException.class, () -> Slab.create(design, k, OnCpu.small().build()));
    }
}
