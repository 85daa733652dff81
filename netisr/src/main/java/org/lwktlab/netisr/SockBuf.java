package org.lwktlab.netisr;

/**
 * A socket buffer ({@code struct sockbuf}) as a byte ring in one slab chunk: the send buffer holds
 * bytes written and not yet acknowledged (so they can be retransmitted), the receive buffer holds
 * bytes delivered in order and not yet read. Its free space is what the receiver advertises as its
 * window.
 *
 * <p>Owned with its connection (netisr or PCB lock). Copies wrap around the ring in at most two pieces.
 */
final class SockBuf {
    private final PacketMemory mem;
    long chunk;
    final int cap;
    private int head;
    private int len;

    SockBuf(NetCpu c, PacketMemory mem, int cap) {
        this.mem = mem;
        this.cap = cap;
        this.chunk = mem.alloc(c, cap);
    }

    int length() {
        return len;
    }

    int space() {
        return cap - len;
    }

    /** Appends {@code n <= space()} bytes from a user buffer. */
    void append(byte[] src, int off, int n) {
        int tail = (head + len) % cap;
        int first = Math.min(n, cap - tail);
        mem.copyIn(src, off, chunk, tail, first);
        if (n > first) {
            mem.copyIn(src, off + first, chunk, 0, n - first);
        }
        len += n;
    }

    /** Appends {@code n <= space()} bytes from offset {@code soff} of slab chunk {@code src}. */
    void appendFrom(long src, int soff, int n) {
        int tail = (head + len) % cap;
        int first = Math.min(n, cap - tail);
        mem.copy(src, soff, chunk, tail, first);
        if (n > first) {
            mem.copy(src, soff + first, chunk, 0, n - first);
        }
        len += n;
    }

    /** Copies {@code n} bytes starting {@code from} bytes past the head into chunk {@code dst} at {@code doff}. */
    void peekInto(int from, long dst, int doff, int n) {
        int start = (head + from) % cap;
        int first = Math.min(n, cap - start);
        mem.copy(chunk, start, dst, doff, first);
        if (n > first) {
            mem.copy(chunk, 0, dst, doff + first, n - first);
        }
    }

    /** Moves up to {@code n} bytes from the head into a user buffer; returns how many. */
    int take(byte[] dst, int off, int n) {
        int k = Math.min(n, len);
        int first = Math.min(k, cap - head);
        mem.copyOut(chunk, head, dst, off, first);
        if (k > first) {
            mem.copyOut(chunk, 0, dst, off + first, k - first);
        }
        drop(k);
        return k;
    }

    /** Discards {@code n <= length()} bytes from the head. */
    void drop(int n) {
        head = (head + n) % cap;
        len -= n;
        if (len == 0) {
            head = 0;
        }
    }

    /** Frees the ring's chunk, on CPU {@code c}. */
    void release(NetCpu c) {
        if (chunk != 0) {
            mem.free(c, chunk);
            chunk = 0;
            len = 0;
        }
    }
}
