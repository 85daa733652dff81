package org.lwktlab.slab;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.ShutdownParticipant;
import org.lwktlab.lwkt.ShutdownReport;
import org.lwktlab.slab.SlabMisuseException.Kind;

/**
 * Design {@code jvm}: no allocator at all — every {@code alloc} is a {@code new byte[]} (a TLAB bump and
 * zeroing), every {@code free} drops the reference and the garbage collector reclaims it. The handle
 * indexes a slot table: an allocation claims a free slot by CAS of its generation (scanning from the
 * caller's cursor), a free clears the slot by CAS and releases the generation. So this baseline pays
 * one CAS per operation for its handles, allocates a Java object per {@code alloc}, and moves the cost
 * of freeing to the collector — which the run's GC figures show.
 *
 * <p><b>Invariants.</b> Slot {@code i} holds an array iff its generation is odd; a free nulls the slot
 * before it releases the generation, so a new allocation never finds (or loses) an old array. Access
 * always checks the generation and the bounds (they are one load and one compare here).
 */
final class JvmSlab extends Slab {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(byte[][].class);
    private static final VarHandle GEN = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle BYTE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle BYTE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final int CURSOR_STRIDE = 16; // ints: one cache line per CPU's cursor

    private final byte[][] slots;
    private final int[] gen;
    private final int[] cursors;

    JvmSlab(Kernel kernel, SlabConfig config) {
        super("jvm", kernel, config);
        this.slots = new byte[config.jvmSlots()][];
        this.gen = new int[config.jvmSlots()];
        this.cursors = new int[(ncpus + 2) * CURSOR_STRIDE];
        for (int i = 0; i < ncpus; i++) {
            cursors[(i + 1) * CURSOR_STRIDE] = (int) ((long) slots.length * i / ncpus);
        }
        kernel.addShutdownParticipant(new ShutdownParticipant() {
            @Override
            public void onShutdown(ShutdownReport.Builder report) {
                reportLeaks(report);
            }

            @Override
            public String toString() {
                return JvmSlab.this.toString();
            }
        });
    }

    @Override
    public long tryAlloc(int size) {
        final int cls = classOf(size);
        final int me = callerSlot();
        final int n = slots.length;
        final int cur = me < ncpus ? (me + 1) * CURSOR_STRIDE : -1;
        int i = cur >= 0 ? cursors[cur] : ThreadLocalRandom.current().nextInt(n);
        for (int k = 0; k < n; k++, i = i + 1 == n ? 0 : i + 1) {
            int g = (int) GEN.getAcquire(gen, i);
            if ((g & 1) == 0 && GEN.compareAndSet(gen, i, g, g + 1)) {
                final int bytes = SizeClasses.size(cls);
                SLOT.setRelease(slots, i, new byte[bytes]);
                if (cur >= 0) {
                    cursors[cur] = i + 1 == n ? 0 : i + 1;
                }
                counters[me].alloc(bytes);
                return SlabHandle.make(tag, g + 1, i);
            }
        }
        return NULL;
    }

    @Override
    SlabExhaustedException exhausted(int size) {
        return new SlabExhaustedException(label + ": no slot for " + size + " B: all " + slots.length
                + " slots are in use; raise jvmSlots");
    }

    private int slotOf(long h) {
        if (SlabHandle.tag(h) != tag) {
            throw badTag(h);
        }
        long i = SlabHandle.offset(h);
        if (i >= slots.length) {
            throw misuse(Kind.UNKNOWN_HANDLE, h, "slot " + i + " is beyond the slot table (" + slots.length + ")", true);
        }
        return (int) i;
    }

    @Override
    public void free(long h) {
        final int i = slotOf(h);
        final int hgen = SlabHandle.gen(h);
        final int g = (int) GEN.getAcquire(gen, i);
        final byte[] a = (byte[]) SLOT.getAcquire(slots, i);
        if ((g & SlabHandle.GEN_MASK) != hgen || (g & 1) == 0 || a == null || !SLOT.compareAndSet(slots, i, a, null)) {
            boolean dbl = (g & SlabHandle.GEN_MASK) == hgen || ((g - 1) & SlabHandle.GEN_MASK) == hgen;
            throw misuse(dbl ? Kind.DOUBLE_FREE : Kind.STALE_HANDLE, h,
                    dbl ? "the chunk is already free" : "the slot was freed and reused since this handle was made", true);
        }
        GEN.setRelease(gen, i, g + 1);
        counters[callerSlot()].free(a.length);
    }

    private byte[] array(long h, int off, int width) {
        final int i = slotOf(h);
        final byte[] a = (byte[]) SLOT.getAcquire(slots, i);
        final int g = (int) GEN.getAcquire(gen, i);
        if (a == null || (g & SlabHandle.GEN_MASK) != SlabHandle.gen(h)) {
            throw misuse(Kind.USE_AFTER_FREE, h, "the chunk was freed", true);
        }
        if (off < 0 || width < 0 || (long) off + width > a.length) {
            throw outOfBounds(h, off, width, a.length);
        }
        return a;
    }

    @Override
    public int usableSize(long h) {
        return array(h, 0, 0).length;
    }

    @Override
    public byte getByte(long h, int off) {
        return array(h, off, 1)[off];
    }

    @Override
    public void putByte(long h, int off, byte v) {
        array(h, off, 1)[off] = v;
    }

    @Override
    public int getInt(long h, int off) {
        return (int) BYTE_INT.get(array(h, off, 4), off);
    }

    @Override
    public void putInt(long h, int off, int v) {
        BYTE_INT.set(array(h, off, 4), off, v);
    }

    @Override
    public long getLong(long h, int off) {
        return (long) BYTE_LONG.get(array(h, off, 8), off);
    }

    @Override
    public void putLong(long h, int off, long v) {
        BYTE_LONG.set(array(h, off, 8), off, v);
    }

    @Override
    public void copyFrom(byte[] src, int srcOff, long h, int off, int len) {
        System.arraycopy(src, srcOff, array(h, off, len), off, len);
    }

    @Override
    public void copyTo(long h, int off, byte[] dst, int dstOff, int len) {
        System.arraycopy(array(h, off, len), off, dst, dstOff, len);
    }

    @Override
    public void copy(long src, int srcOff, long dst, int dstOff, int len) {
        System.arraycopy(array(src, srcOff, len), srcOff, array(dst, dstOff, len), dstOff, len);
    }

    @Override
    public void fill(long h, int off, int len, byte v) {
        Arrays.fill(array(h, off, len), off, off + len, v);
    }

    @Override
    public MemorySegment segment(long h) {
        return MemorySegment.ofArray(array(h, 0, 0));
    }

    private void reportLeaks(ShutdownReport.Builder b) {
        Map<Integer, List<Long>> bySize = new TreeMap<>();
        Map<Integer, int[]> counts = new TreeMap<>();
        for (int i = 0; i < slots.length; i++) {
            int g = (int) GEN.getAcquire(gen, i);
            byte[] a = (byte[]) SLOT.getAcquire(slots, i);
            if ((g & 1) != 0 && a != null) {
                counts.computeIfAbsent(a.length, k -> new int[1])[0]++;
                List<Long> hs = bySize.computeIfAbsent(a.length, k -> new ArrayList<>());
                if (hs.size() < LeakReport.SAMPLE) {
                    hs.add(SlabHandle.make(tag, g, i));
                }
            }
        }
        LeakReport r = new LeakReport();
        counts.forEach((size, n) -> r.group("heap", size, n[0], bySize.get(size)));
        r.addTo(b, this);
        misuses.addTo(b, this);
    }

    @Override
    public void close() {
        checkClosable();
        Arrays.fill(slots, null);
    }
}
