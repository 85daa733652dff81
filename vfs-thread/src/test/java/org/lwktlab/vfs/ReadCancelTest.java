package org.lwktlab.vfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwktlab.vfs.VfsError.OK;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.WaitPort;

/**
 * Cancelling a long read of the message design — done by the file's vnode server in pieces of
 * {@link VfsConfig#readPiecePages} pages, re-queued between them — before it starts, between its pieces,
 * and after its reply; and the pieces themselves: the data of a read in pieces is the file's, and a file
 * that changes between pieces ends the read short. Every case: exactly one reply, the right outcome, no
 * page or mapping left held, a clean shutdown (the fixture checks both when it closes).
 */
class ReadCancelTest {
    static final List<String> MESSAGE_DESIGNS = List.of("message", "message-copy");
    static final List<String> ALL_DESIGNS = Fixture.DESIGNS;
    private static final int FILE_BYTES = VfsSession.MAX_IO; // 64 pages: 64 pieces of one page

    private static byte[] content() {
        byte[] b = new byte[FILE_BYTES];
        new SplittableRandom(11).nextBytes(b);
        return b;
    }

    /** A fixture whose reads go one page per piece, with {@code /big} written. */
    private static Fixture withBigFile(String design, byte[] data) {
        Fixture f = Fixture.of(design, 2, c -> c.withReadPiecePages(1));
        VfsSession s = f.session("writer");
        assertEquals(OK, s.create("/big"));
        int fd = s.open("/big", Vfs.O_RDWR);
        assertEquals(data.length, s.write(fd, 0, data, 0, data.length));
        assertEquals(OK, s.close(fd));
        return f;
    }

    /** The vnode server owning {@code path} (message design). */
    private static VnodeServer serverOf(Fixture f, String path) {
        MessageVfs mv = (MessageVfs) f.vfs;
        long ino = f.session("lookup-" + path.hashCode()).lookup(path);
        assertTrue(ino > 0, "no " + path);
        return mv.server(mv.owner(ino));
    }

    private static void await(String what, BooleanSupplier cond) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("gave up waiting for " + what);
            }
            Thread.onSpinWait();
        }
    }

    /** The session's next read of {@code fd} returns all of {@code data} (the cancelled one changed nothing); closes it. */
    private static void nextReadGetsTheWholeFile(VfsSession rs, int fd, byte[] data) {
        byte[] again = new byte[FILE_BYTES];
        assertEquals(FILE_BYTES, rs.read(fd, 0, again, 0, FILE_BYTES), "the next read on the session");
        assertArrayEquals(data, again);
        assertEquals(OK, rs.close(fd));
    }

    /** Runs {@code body} on a thread of its own (a blocking reader) and returns it started. */
    private static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void join(Thread t) throws InterruptedException {
        t.join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(t.isAlive(), t.getName() + " is still blocked");
    }

    @ParameterizedTest
    @FieldSource("MESSAGE_DESIGNS")
    void cancelBeforeStartTheQueuedReadIsNeverServed(String design) throws Exception {
        byte[] data = content();
        try (Fixture f = withBigFile(design, data)) {
            VnodeServer sv = serverOf(f, "/big");
            VfsSession rs = f.session("reader");
            int fd = rs.open("/big", Vfs.O_RDONLY);
            // hold the server's CPU, so the read stays queued, unserved, until after the abort
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            LwktThread busy = f.kernel.spawn(sv.cpu, "busy", m -> {
                running.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                Lwkt.replymsg(m, Errno.OK);
            });
            Message hold = new Message(WaitPort.get());
            Lwkt.sendmsg(busy.port(), hold);
            assertTrue(running.await(20, TimeUnit.SECONDS), "the busy thread never ran");
            long piecesBefore = sv.ctr.readPieces.get();

            VfsRequest r = rs.newRequest().read(fd, 0, new byte[FILE_BYTES], 0, FILE_BYTES);
            boolean[] completed = new boolean[1];
            Thread reader = start("reader", () -> completed[0] = rs.submit(r));
            await("the read to be sent", () -> r.targetPort() != null);
            assertTrue(rs.cancel(r), "the queued read could not be cancelled");
            release.countDown();
            join(reader);
            Lwkt.waitmsg(hold);

            assertTrue(completed[0]);
            assertTrue(r.isAborted());
            assertEquals(Errno.EINTR, r.error());
            assertEquals(VfsError.EINTR, r.status());
            assertEquals(0, r.value());
            assertEquals(piecesBefore, sv.ctr.readPieces.get(), "the server read a piece of a request cancelled before start");
            assertFalse(rs.cancel(r), "a completed read cannot be cancelled again");

            nextReadGetsTheWholeFile(rs, fd, data);
        }
    }

    @ParameterizedTest
    @FieldSource("MESSAGE_DESIGNS")
    void cancelBetweenPiecesStopsAtTheNextSafePointAndReleasesEverything(String design) throws Exception {
        byte[] data = content();
        try (Fixture f = withBigFile(design, data)) {
            VnodeServer sv = serverOf(f, "/big");
            VfsSession rs = f.session("reader");
            int fd = rs.open("/big", Vfs.O_RDONLY);
            VfsRequest r = rs.newRequest().read(fd, 0, new byte[FILE_BYTES], 0, FILE_BYTES);
            // stop the server's CPU at the safe point after 5 pieces, cancel there, let it go on
            CountDownLatch reached = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            AtomicBoolean once = new AtomicBoolean();
            sv.readSafePointObserver = q -> {
                if (q == r && q.readDone >= 5 * PageMemory.PAGE_SIZE && once.compareAndSet(false, true)) {
                    reached.countDown();
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
            };
            long abortedBefore = sv.ctr.readsAborted.get();
            long piecesBefore = sv.ctr.readPieces.get();
            boolean[] completed = new boolean[1];
            Thread reader = start("reader", () -> completed[0] = rs.submit(r));
            assertTrue(reached.await(20, TimeUnit.SECONDS), "the read never reached its sixth piece");
            assertTrue(rs.cancel(r), "the read in progress could not be cancelled");
            go.countDown();
            join(reader);
            sv.readSafePointObserver = null;

            assertTrue(completed[0]);
            assertTrue(r.isAborted());
            assertEquals(VfsError.EINTR, r.status());
            assertEquals(0, r.value());
            assertEquals(abortedBefore + 1, sv.ctr.readsAborted.get(), "not stopped at the safe point");
            assertEquals(piecesBefore + 5, sv.ctr.readPieces.get(), "pieces ran after the abort");
            assertEquals(0, f.vfs.heldPages(), "the cancelled read left pages held");

            nextReadGetsTheWholeFile(rs, fd, data);
        }
    }

    @ParameterizedTest
    @FieldSource("ALL_DESIGNS")
    void cancelAfterReplyChangesNothing(String design) {
        byte[] data = content();
        try (Fixture f = withBigFile(design, data)) {
            VfsSession rs = f.session("reader");
            int fd = rs.open("/big", Vfs.O_RDONLY);
            byte[] buf = new byte[FILE_BYTES];
            VfsRequest r = rs.request().read(fd, 0, buf, 0, FILE_BYTES);
            assertTrue(rs.submit(r));
            assertFalse(rs.cancel(r), "a replied read cannot be cancelled");
            assertFalse(r.isAborted());
            assertEquals(OK, r.status());
            assertEquals(FILE_BYTES, r.value());
            assertArrayEquals(data, buf);
            assertEquals(OK, rs.close(fd));
        }
    }

    @ParameterizedTest
    @FieldSource("MESSAGE_DESIGNS")
    void aReadInPiecesReturnsTheFilesBytesAtAnyOffset(String design) {
        byte[] data = content();
        for (int piece : new int[] {1, 3, 16}) {
            try (Fixture f = Fixture.of(design, 2, c -> c.withReadPiecePages(piece))) {
                VfsSession s = f.session("c");
                assertEquals(OK, s.create("/f"));
                int fd = s.open("/f", Vfs.O_RDWR);
                assertEquals(data.length, s.write(fd, 0, data, 0, data.length));
                for (int[] offLen : new int[][] {{0, FILE_BYTES}, {100, FILE_BYTES - 50}, {4095, 3 * 4096 + 2},
                    {FILE_BYTES - 10, 4096}}) {
                    int off = offLen[0];
                    int want = Math.min(offLen[1], FILE_BYTES - off);
                    byte[] buf = new byte[offLen[1]];
                    assertEquals(want, s.read(fd, off, buf, 0, offLen[1]), "read at " + off + ", pieces of " + piece);
                    assertArrayEquals(Arrays.copyOfRange(data, off, off + want), Arrays.copyOf(buf, want),
                            "read at " + off + ", pieces of " + piece);
                    VfsRequest r = s.request().readPages(fd, off, offLen[1]);
                    assertTrue(s.submit(r));
                    assertEquals(want, r.value());
                    byte[] got = new byte[want];
                    int[] at = {0};
                    s.consume(r.xio(), (mem, page, po, len) -> {
                        mem.copyOut(page, po, got, at[0], len);
                        at[0] += len;
                    });
                    assertArrayEquals(Arrays.copyOfRange(data, off, off + want), got, "readPages at " + off);
                    s.release(r);
                }
                assertEquals(OK, s.close(fd));
            }
        }
    }

    @ParameterizedTest
    @FieldSource("MESSAGE_DESIGNS")
    void aFileChangedBetweenPiecesEndsTheReadShortAtWhatOneVersionShowed(String design) {
        byte[] data = content();
        try (Fixture f = withBigFile(design, data)) {
            VnodeServer sv = serverOf(f, "/big");
            VfsSession rs = f.session("reader");
            int fd = rs.open("/big", Vfs.O_RDONLY);
            byte[] buf = new byte[FILE_BYTES];
            VfsRequest r = rs.request().read(fd, 0, buf, 0, FILE_BYTES);
            AtomicBoolean once = new AtomicBoolean();
            // on the server's CPU, between the 3rd and 4th piece: what a write to the file there would do to it
            sv.readSafePointObserver = q -> {
                if (q == r && q.readDone == 3 * PageMemory.PAGE_SIZE && once.compareAndSet(false, true)) {
                    q.file.inode.version++;
                }
            };
            assertTrue(rs.submit(r));
            sv.readSafePointObserver = null;
            assertEquals(OK, r.status());
            assertEquals(3 * PageMemory.PAGE_SIZE, r.value(), "not a short read at the pieces done");
            assertArrayEquals(Arrays.copyOf(data, 3 * PageMemory.PAGE_SIZE), Arrays.copyOf(buf, 3 * PageMemory.PAGE_SIZE));
            assertEquals(OK, rs.close(fd));
        }
    }
}
