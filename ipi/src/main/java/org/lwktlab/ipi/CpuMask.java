package org.lwktlab.ipi;

/**
 * CPU sets as {@code long} bit masks (bit {@code i} = CPU {@code i}), DragonFly's {@code cpumask_t}
 * for up to 64 CPUs. Static helpers only; masks are plain values and allocate nothing.
 */
public final class CpuMask {
    /** Most CPUs a mask can name. */
    public static final int MAX_CPUS = 64;

    private CpuMask() {}

    /** The mask holding only {@code cpu}. */
    public static long of(int cpu) {
        if (cpu < 0 || cpu >= MAX_CPUS) {
            throw new IllegalArgumentException("cpu " + cpu + " is outside 0.." + (MAX_CPUS - 1));
        }
        return 1L << cpu;
    }

    /** The mask holding CPUs {@code 0..n-1}. */
    public static long all(int n) {
        if (n < 0 || n > MAX_CPUS) {
            throw new IllegalArgumentException("cpu count " + n + " is outside 0.." + MAX_CPUS);
        }
        return n == MAX_CPUS ? -1L : (1L << n) - 1;
    }

    /** True when {@code mask} holds {@code cpu}. */
    public static boolean contains(long mask, int cpu) {
        return (mask & (1L << cpu)) != 0;
    }

    /** Number of CPUs in {@code mask}. */
    public static int count(long mask) {
        return Long.bitCount(mask);
    }

    /** Throws if {@code mask} names a CPU at or above {@code ncpus}. */
    public static void check(long mask, int ncpus) {
        long extra = mask & ~all(ncpus);
        if (extra != 0) {
            throw new IllegalArgumentException("cpu mask " + toString(mask) + " names cpu "
                    + Long.numberOfTrailingZeros(extra) + ", but there are only " + ncpus + " cpus");
        }
    }

    /** {@code {0,2,3}}. */
    public static String toString(long mask) {
        StringBuilder sb = new StringBuilder("{");
        long m = mask;
        while (m != 0) {
            int c = Long.numberOfTrailingZeros(m);
            m &= m - 1;
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(c);
        }
        return sb.append('}').toString();
    }
}
