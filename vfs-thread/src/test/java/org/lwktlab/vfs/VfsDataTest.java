package org.lwktlab.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwktlab.vfs.VfsError.OK;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Data written is read back byte-exact in every design; XIO copies fewer bytes than copying. */
class VfsDataTest {
    static final List<String> DESIGNS = Fixture.DESIGNS;

    @ParameterizedTest
    @FieldSource("DESIGNS")
    void randomWritesTruncatesAndReadsMatchAModel(String design) {
        try (Fixture f = Fixture.of(design, 2)) {
            VfsSession s = f.session("c");
            SplittableRandom rnd = new SplittableRandom(42);
            byte[] model = new byte[0];
            assertEquals(OK, s.create("/f"));
            int fd = s.open("/f", Vfs.O_RDWR);
            for (int step = 0; step < 400; step++) {
                int kind = rnd.nextInt(10);
                if (kind < 6) {
                    int off = rnd.nextInt(40_000);
                    int len = 1 + rnd.nextInt(rnd.nextBoolean() ? 64 : 13_000);
                    byte[] b = new byte[len];
                    rnd.nextBytes(b);
                    if (rnd.nextInt(4) == 0) {
                        Xio x = s.pagesForWrite(off, len);
                        assertNotNull(x);
                        fill(f.vfs.pageMemory(), x, b);
                        VfsRequest r = s.request().writePages(fd, off, x);
                        assertTrue(s.submit(r));
                        assertEquals(OK, r.status(), "writePages at " + off);
                        assertEquals(len, r.value());
                    } else {
                        assertEquals(len, s.write(fd, off, b, 0, len), "write at " + off);
                    }
                    if (off + len > model.length) {
                        model = Arrays.copyOf(model, off + len);
                    }
                    System.arraycopy(b, 0, model, off, len);
                } else if (kind < 7) {
                    int len = rnd.nextInt(45_000);
                    assertEquals(OK, s.truncate(fd, len));
                    model = Arrays.copyOf(model, len);
                } else {
                    int off = rnd.nextInt(50_000);
                    int len = rnd.nextInt(20_000);
                    int want = Math.max(0, Math.min(len, model.length - off));
                    byte[] got;
                    if (rnd.nextBoolean()) {
                        VfsRequest r = s.request().readPages(fd, off, len);
                        assertTrue(s.submit(r));
                        assertEquals(OK, r.status());
                        assertEquals(want, r.value());
                        got = drain(s, r.xio(), want);
                        s.release(r);
                    } else {
                        got = new byte[len];
                        assertEquals(want, s.read(fd, off, got, 0, len));
                    }
                    for (int i = 0; i < want; i++) {
                        if (got[i] != model[off + i]) {
                            throw new AssertionError(design + ": step " + step + ": byte " + (off + i) + " is "
                                    + got[i] + ", wrote " + model[off + i]);
                        }
                    }
                }
            }
            assertEquals(OK, s.getattr("/f"));
            assertEquals(model.length, s.request().attr().size());
            assertEquals(OK, s.close(fd));
            assertEquals(OK, s.unlink("/f"));
        }
    }

    private static void fill(PageMemory mem, Xio x, byte[] b) {
        int done = 0;
        for (int i = 0; i < x.pageCount(); i++) {
            int off = i == 0 ? x.offset() : 0;
            int k = Math.min(PageMemory.PAGE_SIZE - off, b.length - done);
            mem.copyIn(x.page(i), off, b, done, k);
            done += k;
        }
    }

    private static byte[] drain(VfsSession s, Xio x, int want) {
        byte[] out = new byte[want];
        int[] at = {0};
        if (want > 0) {
            assertNotNull(x);
            assertEquals(want, x.bytes());
            s.consume(x, (mem, page, off, len) -> {
                for (int i = 0; i < len; i++) {
                    out[at[0]++] = mem.getByte(page, off + i);
                }
            });
        }
        assertEquals(want, at[0]);
        return out;
    }

    /** Bytes copied for writing then reading back {@code n} page-aligned bytes, and for reading them as pages. */
    private static long[] copies(String design, int n) {
        try (Fixture f = Fixture.of(design, 2)) {
            VfsSession s = f.session("c");
            assertEquals(OK, s.create("/f"));
            int fd = s.open("/f", Vfs.O_RDWR);
            byte[] data = new byte[n];
            new SplittableRandom(7).nextBytes(data);
            VfsRequest w = s.request().write(fd, 0, data, 0, n);
            assertTrue(s.submit(w));
            assertEquals(n, w.value());
            long wc = w.bytesCopied();
            byte[] back = new byte[n];
            VfsRequest r = s.request().read(fd, 0, back, 0, n);
            assertTrue(s.submit(r));
            assertEquals(n, r.value());
            long rc = r.bytesCopied();
            assertTrue(Arrays.equals(data, back), design + ": data read back differs");
            VfsRequest p = s.request().readPages(fd, 0, n);
            assertTrue(s.submit(p));
            long pc = p.bytesCopied();
            s.release(p);
            assertEquals(OK, s.close(fd));
            assertEquals(OK, s.unlink("/f"));
            return new long[] {wc, rc, pc};
        }
    }

    @Test
    void xioCopiesStrictlyFewerBytesThanCopying() {
        int n = 64 * 1024;
        long[] xio = copies("message", n);
        long[] copy = copies("message-copy", n);
        long[] mutex = copies("mutex", n);
        assertEquals(n, xio[0], "XIO write: one copy at the user edge, pages adopted by reference");
        assertEquals(n, xio[1], "XIO read: one copy at the user edge");
        assertEquals(0, xio[2], "XIO read consumed as pages: no copy");
        assertEquals(2L * n, copy[0], "copy mode write: user to kernel buffer, buffer to file");
        assertEquals(2L * n, copy[1], "copy mode read: file to kernel buffer, buffer to user");
        assertEquals(2L * n, copy[2], "copy mode read as pages: file to buffer, buffer to pages");
        assertEquals(n, mutex[0], "mutex write: one copy under the vnode lock");
        assertEquals(n, mutex[1], "mutex read: one copy under the vnode lock");
        for (int i = 0; i < 3; i++) {
            assertTrue(xio[i] < copy[i], "XIO copies fewer bytes than copy mode (" + i + "): " + xio[i] + " vs " + copy[i]);
        }
    }
}
