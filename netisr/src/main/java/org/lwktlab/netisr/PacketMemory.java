package org.lwktlab.netisr;

import java.nio.ByteOrder;
import org.lwktlab.netisr.inet.InCksum;
import org.lwktlab.slab.Slab;

/**
 * The stack's view of slab memory: frames and socket buffers are {@link Slab} chunks (long handles),
 * and everything the protocol reads or writes in them — big-endian header fields, payload copies, the
 * Internet checksum — goes through here. Each allocation and free is counted on the CPU that made it
 * ({@code lwkt_netisr_chunks_alloc_total} / {@code _freed_total}), so the stack can tell that it freed
 * everything (and the slab's own leak report names any chunk it did not).
 *
 * <p>The slab reads and writes ints and longs in native byte order; network order is big-endian, so
 * 32-bit fields are byte-swapped on little-endian machines, and the checksum sums native 16-bit words
 * 8 bytes at a time and swaps the folded result (RFC 1071 §2(B): the sum is byte-order independent up
 * to a final swap).
 *
 * <p>Any CPU of the kernel may call it (the slab routes a free of another CPU's chunk home).
 *
 * <p><b>Frees under a lock.</b> Freeing another CPU's chunk may send that CPU an IPI (the per-CPU slab
 * designs send it home), and an IPI may wait for ring space — which a CPU spinning or parked on a lock
 * we hold would never make. So with {@code deferFrees} (the mutex design, whose protocol code runs under
 * PCB locks) a free only records the chunk on the CPU ({@link NetCpu#deferFree}); the CPU frees it at
 * its next {@link NetCpu#flush}, after every lock is dropped.
 */
final class PacketMemory {
    private static final boolean LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    final Slab slab;
    private final boolean deferFrees;

    PacketMemory(Slab slab, boolean deferFrees) {
        this.slab = slab;
        this.deferFrees = deferFrees;
    }

    /** A chunk of at least {@code size} bytes, counted on CPU {@code c}. */
    long alloc(NetCpu c, int size) {
        long h = slab.alloc(size);
        c.chunksAlloc.incrementRelease();
        return h;
    }

    /** Frees a chunk, counted on CPU {@code c} (deferred to its next flush with {@code deferFrees}). */
    void free(NetCpu c, long h) {
        if (deferFrees) {
            c.deferFree(h);
        } else {
            freeNow(c, h);
        }
    }

    /** Frees a chunk now, counted on CPU {@code c}. Never while holding a lock. */
    void freeNow(NetCpu c, long h) {
        slab.free(h);
        c.chunksFreed.incrementRelease();
    }

    int u8(long h, int off) {
        return slab.getByte(h, off) & 0xff;
    }

    int u16(long h, int off) {
        return ((slab.getByte(h, off) & 0xff) << 8) | (slab.getByte(h, off + 1) & 0xff);
    }

    int i32(long h, int off) {
        int v = slab.getInt(h, off);
        return LITTLE ? Integer.reverseBytes(v) : v;
    }

    void put8(long h, int off, int v) {
        slab.putByte(h, off, (byte) v);
    }

    void put16(long h, int off, int v) {
        slab.putByte(h, off, (byte) (v >>> 8));
        slab.putByte(h, off + 1, (byte) v);
    }

    void put32(long h, int off, int v) {
        slab.putInt(h, off, LITTLE ? Integer.reverseBytes(v) : v);
    }

    void copyIn(byte[] src, int soff, long dst, int doff, int len) {
        slab.copyFrom(src, soff, dst, doff, len);
    }

    void copyOut(long src, int soff, byte[] dst, int doff, int len) {
        slab.copyTo(src, soff, dst, doff, len);
    }

    void copy(long src, int soff, long dst, int doff, int len) {
        slab.copy(src, soff, dst, doff, len);
    }

    /**
     * Adds {@code len} bytes of chunk {@code h} from {@code off} (an even offset) to the running
     * big-endian one's complement sum {@code partial} (see {@link InCksum}).
     */
    long cksum(long h, int off, int len, long partial) {
        long words = 0;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            long v = slab.getLong(h, off + i);
            words += (v & 0xffff) + ((v >>> 16) & 0xffff) + ((v >>> 32) & 0xffff) + (v >>> 48);
        }
        long s = partial;
        if (words != 0) {
            int f = InCksum.fold(words);
            s += LITTLE ? ((f & 0xff) << 8) | (f >>> 8) : f;
        }
        for (; i + 1 < len; i += 2) {
            s += ((slab.getByte(h, off + i) & 0xff) << 8) | (slab.getByte(h, off + i + 1) & 0xff);
        }
        if (i < len) {
            s += (slab.getByte(h, off + i) & 0xff) << 8;
        }
        return s;
    }
}
