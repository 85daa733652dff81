package org.lwktlab.bench.support;

/**
 * The JVM flags every benchmark fork needs, as constants so {@code @Fork(jvmArgsAppend = ...)} can
 * name them: Agrona reaches {@code jdk.internal.misc} (without the export it throws
 * {@code IllegalAccessError}), JCTools and the Disruptor use {@code sun.misc.Unsafe}, pinning uses the
 * FFM API. They match the parent pom's {@code lwkt.jvm.flags}.
 */
public final class Flags {
    public static final String ADD_EXPORTS = "--add-exports";
    public static final String MISC = "java.base/jdk.internal.misc=ALL-UNNAMED";
    public static final String UNSAFE = "--sun-misc-unsafe-memory-access=allow";
    public static final String NATIVE = "--enable-native-access=ALL-UNNAMED";
    /** A fixed heap, so the GC's sizing does not drift between forks. */
    public static final String HEAP_MIN = "-Xms1g";
    public static final String HEAP_MAX = "-Xmx1g";

    private Flags() {}

    /** All of them, in order. */
    public static String[] all() {
        return new String[] {ADD_EXPORTS, MISC, UNSAFE, NATIVE, HEAP_MIN, HEAP_MAX};
    }
}
