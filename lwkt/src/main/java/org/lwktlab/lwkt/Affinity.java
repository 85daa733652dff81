package org.lwktlab.lwkt;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * Pins the calling thread to one core with Linux {@code sched_setaffinity}, through the JDK's
 * foreign-function API (no native library of our own).
 */
public final class Affinity {
    private static final int CPU_SET_BYTES = 128; // cpu_set_t: 1024 bits
    private static final MethodHandle SET_AFFINITY;
    private static final MethodHandle GET_CPU;
    private static final StructLayout CAPTURE;
    private static final VarHandle ERRNO;

    static {
        MethodHandle set = null;
        MethodHandle get = null;
        StructLayout cap = null;
        VarHandle errno = null;
        try {
            Linker linker = Linker.nativeLinker();
            cap = Linker.Option.captureStateLayout();
            errno = cap.varHandle(MemoryLayout.PathElement.groupElement("errno"));
            Optional<MemorySegment> sym = linker.defaultLookup().find("sched_setaffinity");
            if (sym.isPresent()) {
                set = linker.downcallHandle(sym.get(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                                ValueLayout.ADDRESS),
                        Linker.Option.captureCallState("errno"));
            }
            Optional<MemorySegment> g = linker.defaultLookup().find("sched_getcpu");
            if (g.isPresent()) {
                get = linker.downcallHandle(g.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT));
            }
        } catch (Throwable t) {
            set = null;
        }
        SET_AFFINITY = set;
        GET_CPU = get;
        CAPTURE = cap;
        ERRNO = errno;
    }

    private Affinity() {}

    /** True if this platform can pin threads. */
    public static boolean supported() {
        return SET_AFFINITY != null;
    }

    /**
     * Pins the calling thread to {@code core}.
     *
     * @return null on success, else why it failed
     */
    public static String pinCurrentThread(int core) {
        if (SET_AFFINITY == null) {
            return "sched_setaffinity is not available on this platform";
        }
        if (core < 0 || core >= CPU_SET_BYTES * 8) {
            return "core " + core + " is outside the cpu set";
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = arena.allocate(CPU_SET_BYTES, 8);
            set.set(ValueLayout.JAVA_BYTE, core / 8, (byte) (1 << (core % 8)));
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) SET_AFFINITY.invokeExact(state, 0, (long) CPU_SET_BYTES, set);
            if (rc != 0) {
                return "sched_setaffinity(core " + core + ") failed with errno " + (int) ERRNO.get(state, 0L);
            }
            return null;
        } catch (Throwable t) {
            return "sched_setaffinity(core " + core + ") failed: " + t;
        }
    }

    /** The core the calling thread runs on now, or -1 if unknown. */
    public static int currentCore() {
        if (GET_CPU == null) {
            return -1;
        }
        try {
            return (int) GET_CPU.invokeExact();
        } catch (Throwable t) {
            return -1;
        }
    }
}
