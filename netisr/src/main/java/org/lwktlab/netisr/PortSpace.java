package org.lwktlab.netisr;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A host's local TCP ports: a bitmap of 65,536 bits, set while a port is bound (a listener, or a
 * connection's ephemeral port until its PCB is freed after TIME_WAIT).
 *
 * <p>Shared by every CPU in both designs, as DragonFly's local-port hash is ({@code portinfo[]} shards
 * under port tokens): binding and releasing are one CAS on one word, and an ephemeral search starts
 * in the calling CPU's own slice of the range ({@code mycpuid}'s shard), so CPUs rarely touch the same
 * word. Lock-free; any thread.
 */
public final class PortSpace {
    /** First ephemeral port (IANA dynamic range). */
    public static final int EPHEMERAL_LO = 49152;
    /** Last ephemeral port. */
    public static final int EPHEMERAL_HI = 65535;

    private final AtomicLongArray bits = new AtomicLongArray(65536 / 64);
    private final int slices;
    private final int[] cursor;

    PortSpace(int ncpus) {
        this.slices = ncpus;
        this.cursor = new int[ncpus * 16]; // padded: one cache line per CPU's cursor
        int span = (EPHEMERAL_HI - EPHEMERAL_LO + 1) / ncpus;
        for (int c = 0; c < ncpus; c++) {
            cursor[c * 16] = EPHEMERAL_LO + c * span;
        }
    }

    /** Binds {@code port}; false if it is bound already. */
    boolean bind(int port) {
        int w = port >>> 6;
        long bit = 1L << (port & 63);
        for (;;) {
            long v = bits.get(w);
            if ((v & bit) != 0) {
                return false;
            }
            if (bits.compareAndSet(w, v, v | bit)) {
                return true;
            }
        }
    }

    /**
     * Binds a free ephemeral port, searching from CPU {@code cpu}'s cursor; 0 if all 16,384 are bound.
     * {@code cpu} must be the calling CPU (its cursor is its own).
     */
    int bindEphemeral(int cpu) {
        int span = EPHEMERAL_HI - EPHEMERAL_LO + 1;
        int c = cursor[(cpu % slices) * 16];
        for (int i = 0; i < span; i++) {
            int p = EPHEMERAL_LO + (c - EPHEMERAL_LO + i) % span;
            if (bind(p)) {
                cursor[(cpu % slices) * 16] = p + 1 > EPHEMERAL_HI ? EPHEMERAL_LO : p + 1;
                return p;
            }
        }
        return 0;
    }

    /** A test an ephemeral port must pass to be preferred; implementations are reused, not allocated per call. */
    interface Preference {
        boolean fits(int port);
    }

    /**
     * Binds a free ephemeral port {@code pref} accepts, looking at no more than {@code tries} free ports
     * from CPU {@code cpu}'s cursor; if none of them fits, binds the first free one as
     * {@link #bindEphemeral(int)} does. 0 if all 16,384 are bound. Skipped ports stay free.
     */
    int bindEphemeral(int cpu, Preference pref, int tries) {
        int span = EPHEMERAL_HI - EPHEMERAL_LO + 1;
        int slot = (cpu % slices) * 16;
        int c = cursor[slot];
        int seen = 0;
        for (int i = 0; i < span && seen < tries; i++) {
            int p = EPHEMERAL_LO + (c - EPHEMERAL_LO + i) % span;
            if (bound(p)) {
                continue;
            }
            seen++;
            if (pref.fits(p) && bind(p)) {
                cursor[slot] = p + 1 > EPHEMERAL_HI ? EPHEMERAL_LO : p + 1;
                return p;
            }
        }
        return bindEphemeral(cpu);
    }

    /** Releases {@code port}. */
    void release(int port) {
        int w = port >>> 6;
        long bit = 1L << (port & 63);
        for (;;) {
            long v = bits.get(w);
            if ((v & bit) == 0) {
                throw new IllegalStateException("port " + port + " released but was not bound");
            }
            if (bits.compareAndSet(w, v, v & ~bit)) {
                return;
            }
        }
    }

    /** True if {@code port} is bound. */
    public boolean bound(int port) {
        return (bits.get(port >>> 6) & (1L << (port & 63))) != 0;
    }

    /** Ports bound now. */
    public int boundCount() {
        int n = 0;
        for (int i = 0; i < bits.length(); i++) {
            n += Long.bitCount(bits.get(i));
        }
        return n;
    }
}
