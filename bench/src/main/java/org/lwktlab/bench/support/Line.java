package org.lwktlab.bench.support;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

abstract class LinePad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p0a, p0b, p0c, p0d, p0e, p0f;
}

abstract class LineValue extends LinePad0 {
    long value;
}

/**
 * One {@code long} alone on its cache line (128 bytes of padding each side, so adjacent-line prefetch
 * does not couple it to a neighbour either; HotSpot lays superclass fields out first). The raw
 * ping-pong's two lines and the benchmarks' progress counters are these.
 *
 * <p>Accessors name their ordering; a line is written by one thread and read by others.
 */
public final class Line extends LineValue {
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q0a, q0b, q0c, q0d, q0e, q0f;

    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(LineValue.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public long getPlain() {
        return value;
    }

    public long getAcquire() {
        return (long) VALUE.getAcquire(this);
    }

    public void setRelease(long v) {
        VALUE.setRelease(this, v);
    }

    public long getVolatile() {
        return (long) VALUE.getVolatile(this);
    }

    public void setVolatile(long v) {
        VALUE.setVolatile(this, v);
    }
}
