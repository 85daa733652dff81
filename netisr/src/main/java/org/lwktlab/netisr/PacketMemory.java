package org.lwktlab.netisr;

import java.util.Arrays;
import org.lwktlab.netisr.inet.InCksum;

/**
 * TEMPORARY heap backend until the slab module lands; same API as the slab-backed version.
 */
final class PacketMemory {
    private byte[][] chunks = new byte[1024][];
    private int[] free = new int[1024];
    private int nfree;
    private int next = 1;
    private long live;

    synchronized long alloc(int size) {
        int i;
        if (nfree > 0) {
            i = free[--nfree];
        } else {
            if (next == chunks.length) {
                chunks = Arrays.copyOf(chunks, next * 2);
                free = Arrays.copyOf(free, next * 2);
            }
            i = next++;
        }
        chunks[i] = new byte[size];
        live++;
        return i;
    }

    synchronized void free(long h) {
        if (chunks[(int) h] == null) {
            throw new IllegalStateException("double free " + h);
        }
        chunks[(int) h] = null;
        free[nfree++] = (int) h;
        live--;
    }

    synchronized long live() {
        return live;
    }

    private synchronized byte[] b(long h) {
        byte[] a = chunks[(int) h];
        if (a == null) {
            throw new IllegalStateException("use after free " + h);
        }
        return a;
    }

    int u8(long h, int off) {
        return b(h)[off] & 0xff;
    }

    int u16(long h, int off) {
        byte[] a = b(h);
        return ((a[off] & 0xff) << 8) | (a[off + 1] & 0xff);
    }

    int i32(long h, int off) {
        byte[] a = b(h);
        return ((a[off] & 0xff) << 24) | ((a[off + 1] & 0xff) << 16) | ((a[off + 2] & 0xff) << 8) | (a[off + 3] & 0xff);
    }

    void put8(long h, int off, int v) {
        b(h)[off] = (byte) v;
    }

    void put16(long h, int off, int v) {
        byte[] a = b(h);
        a[off] = (byte) (v >>> 8);
        a[off + 1] = (byte) v;
    }

    void put32(long h, int off, int v) {
        byte[] a = b(h);
        a[off] = (byte) (v >>> 24);
        a[off + 1] = (byte) (v >>> 16);
        a[off + 2] = (byte) (v >>> 8);
        a[off + 3] = (byte) v;
    }

    void copyIn(byte[] src, int soff, long dst, int doff, int len) {
        System.arraycopy(src, soff, b(dst), doff, len);
    }

    void copyOut(long src, int soff, byte[] dst, int doff, int len) {
        System.arraycopy(b(src), soff, dst, doff, len);
    }

    void copy(long src, int soff, long dst, int doff, int len) {
        System.arraycopy(b(src), soff, b(dst), doff, len);
    }

    long cksum(long h, int off, int len, long partial) {
        return InCksum.sum(b(h), off, len, partial);
    }
}
