package org.lwktlab.vfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwktlab.vfs.VfsError.EBADF;
import static org.lwktlab.vfs.VfsError.EEXIST;
import static org.lwktlab.vfs.VfsError.EINVAL;
import static org.lwktlab.vfs.VfsError.EISDIR;
import static org.lwktlab.vfs.VfsError.ENAMETOOLONG;
import static org.lwktlab.vfs.VfsError.ENOENT;
import static org.lwktlab.vfs.VfsError.ENOTDIR;
import static org.lwktlab.vfs.VfsError.ENOTEMPTY;
import static org.lwktlab.vfs.VfsError.OK;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Each operation and each error, in every design, through the blocking session API. */
class VfsOperationsTest {
    static final List<String> DESIGNS = Fixture.DESIGNS;

    private static VfsError err(long result) {
        return VfsError.ofResult(result);
    }

    @ParameterizedTest
    @FieldSource("DESIGNS")
    void namespaceOperations(String design) {
        try (Fixture f = Fixture.of(design, 2)) {
            VfsSession s = f.session("c");
            assertEquals(OK, s.mkdir("/a"));
            assertEquals(OK, s.mkdir("/a/b"));
            assertEquals(OK, s.create("/a/b/f"));
            long ino = s.lookup("/a/b/f");
            assertTrue(ino > Vfs.ROOT_INO, "lookup gives the inode number");
            assertEquals(ino, s.lookup("/a/./b/../b//f/"), ". and .. and extra slashes resolve");
            assertEquals(Vfs.ROOT_INO, s.lookup("/"));
            assertEquals(Vfs.ROOT_INO, s.lookup("/a/.."));
            assertEquals(Vfs.ROOT_INO, s.lookup("/.."), "the root is its own parent");

            assertEquals(OK, s.getattr("/a/b/f"));
            Attr a = s.request().attr();
            assertEquals(ino, a.ino());
            assertEquals(FileType.REGULAR, a.type());
            assertEquals(0, a.size());
            assertEquals(1, a.nlink());
            assertEquals(OK, s.getattr("/a/b"));
            assertEquals(FileType.DIRECTORY, s.request().attr().type());
            assertEquals(1, s.request().attr().pages(), "a directory's entry count");

            assertEquals(OK, s.rename("/a/b/f", "/a/g"));
            assertEquals(ino, s.lookup("/a/g"), "rename keeps the inode");
            assertEquals(ENOENT, err(s.lookup("/a/b/f")));
            assertEquals(OK, s.rename("/a/g", "/a/h"), "same-directory rename");
            assertEquals(ino, s.lookup("/a/h"));
            assertEquals(OK, s.rename("/a/h", "/a/h"), "rename onto itself is a no-op");
            assertEquals(ino, s.lookup("/a/h"));

            assertEquals(OK, s.rename("/a/b", "/c"), "directory moves to another parent");
            assertEquals(Vfs.ROOT_INO, s.lookup("/c/.."), "its .. follows it");
            assertEquals(OK, s.create("/c/x"));
            assertEquals(OK, s.create("/a/y"));
            assertEquals(OK, s.rename("/a/y", "/c/x"), "a file replaces a file");
            assertEquals(ENOENT, err(s.lookup("/a/y")));
            assertEquals(OK, s.mkdir("/d"));
            assertEquals(OK, s.mkdir("/e"));
            long e = s.lookup("/e");
            assertEquals(OK, s.rename("/e", "/d"), "a directory replaces an empty directory");
            assertEquals(e, s.lookup("/d"));

            assertEquals(OK, s.unlink("/c/x"));
            assertEquals(ENOENT, err(s.lookup("/c/x")));
            assertEquals(OK, s.rmdir("/c"));
            assertEquals(ENOENT, err(s.lookup("/c")));
            assertEquals(OK, s.unlink("/a/h"));
            assertEquals(OK, s.rmdir("/a"));
            assertEquals(OK, s.rmdir("/d"));
            assertEquals(1, f.vfs.liveInodes(), "only the root is left");
        }
    }

    @ParameterizedTest
    @FieldSource("DESIGNS")
    void readdirBatchesInNameOrder(String design) {
        try (Fixture f = Fixture.of(design, 2)) {
            VfsSession s = f.session("c");
            assertEquals(OK, s.mkdir("/d"));
            List<String> want = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                String n = String.format("n%03d", i);
                want.add(n);
                assertEquals(OK, i % 3 == 0 ? s.mkdir("/d/" + n) : s.create("/d/" + n));
            }
            List<String> got = new ArrayList<>();
            String cursor = null;
            int batches = 0;
            while (true) {
                assertEquals(OK, s.readdir("/d", cursor));
                DirBuffer b = s.request().dirBuffer();
                for (int i = 0; i < b.count(); i++) {
                    got.add(b.name(i));
                    assertEquals(b.name(i).compareTo("n") > 0 && Integer.parseInt(b.name(i).substring(1)) % 3 == 0
                            ? FileType.DIRECTORY : FileType.REGULAR, b.type(i));
                    assertEquals(s.lookup("/d/" + b.name(i)), b.ino(i));
                }
                batches++;
                if (b.end()) {
                    break;
                }
                cursor = b.cursor();
            }
            assertEquals(want, got);
            assertEquals(3, batches, "150 entries in batches of 64");
            assertEquals(ENOTDIR, s.readdir("/d/n001", null));
            assertEquals(ENOENT, s.readdir("/nope", null));
            assertEquals(OK, s.readdir("/", "zzz"));
            assertEquals(0, s.request().dirBuffer().count());
            assertTrue(s.request().dirBuffer().end());
            for (String n : want) {
                assertEquals(OK, Integer.parseInt(n.substring(1)) % 3 == 0 ? s.rmdir("/d/" + n) : s.unlink("/d/" + n));
            }
        }
    }

    @ParameterizedTest
    @FieldSource("DESIGNS")
    void fileDataOperations(String design) {
        try (Fixture f = Fixture.of(design, 2)) {
            VfsSession s = f.session("c");
            assertEquals(OK, s.create("/f"));
            int fd = s.open("/f", Vfs.O_RDWR);
            assertTrue(fd >= 0);
            byte[] data = new byte[10_000];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 7 + 3);
            }
            assertEquals(data.length, s.write(fd, 100, data, 0, data.length));
            assertEquals(OK, s.getattr("/f"));
            assertEquals(10_100, s.request().attr().size());
            assertEquals(3, s.request().attr().pages());
            byte[] back = new byte[10_100];
            assertEquals(10_100, s.read(fd, 0, back, 0, back.length));
            for (int i = 0; i < 100; i++) {
                assertEquals(0, back[i], "the hole before the write reads as zeros");
            }
            for (int i = 0; i < data.length; i++) {
                assertEquals(data[i], back[100 + i]);
            }
            assertEquals(0, s.read(fd, 10_100, back, 0, 10), "reading at the end gives 0");
            assertEquals(50, s.read(fd, 10_050, back, 0, 100), "a read is cut at the end");

            assertEquals(3, s.fsync(fd), "three dirty pages written back");
            assertEquals(0, s.fsync(fd), "then none");

            assertEquals(OK, s.truncate(fd, 5000));
            assertEquals(OK, s.getattr("/f"));
            assertEquals(5000, s.request().attr().size());
            assertEquals(2, s.request().attr().pages(), "pages past the end are freed");
            assertEquals(OK, s.truncate(fd, 20_000));
            byte[] grown = new byte[20_000];
            assertEquals(20_000, s.read(fd, 0, grown, 0, grown.length));
            for (int i = 5000; i < 20_000; i++) {
                assertEquals(0, grown[i], "growing shows zeros, also in the kept page's old tail (byte " + i + ")");
            }
            for (int i = 100; i < 5000; i++) {
                assertEquals(data[i - 100], grown[i]);
            }
            assertEquals(OK, s.close(fd));
            assertEquals(EBADF, s.close(fd), "a closed descriptor is bad");
            assertEquals(OK, s.unlink("/f"));
        }
    }

    @ParameterizedTest
    @FieldSource("DESIGNS")
    void unlinkedFileLivesUntilClosed(String design) {
        try (Fixture f = Fixture.of(design, 2)) {
            VfsSession s = f.session("c");
            assertEquals(OK, s.create("/f"));
            int fd = s.open("/f", Vfs.O_RDWR);
            byte[] b = "hello".getBytes();
            assertEquals(5, s.write(fd, 0, b, 0, 5));
            assertEquals(OK, s.unlink("/f"));
            assertEquals(ENOENT, err(s.lookup("/f")));
            assertEquals(2, f.vfs.liveInodes(), "still open, so still alive");
            byte[] r = new byte[5];
            assertEquals(5, s.read(fd, 0, r, 0, 5));
            assertArrayEquals(b, r);
            assertEquals(OK, s.create("/f"), "the name is free again");
            assertEquals(OK, s.close(fd));
            assertEquals(2, f.vfs.liveInodes(), "the unlinked one is gone once closed");
            assertEquals(OK, s.unlink("/f"));
        }
    }

    @ParameterizedTest
    @FieldSource("DESIGNS")
    void everyErrorForBadInput(String design) {
        try (Fixture f = Fixture.of(design, 2)) {
            VfsSession s = f.session("c");
            assertEquals(ENOENT, err(s.lookup("")), "empty path");
            assertEquals(EINVAL, err(s.lookup(null)), "null path");
            assertEquals(EINVAL, err(s.lookup("a/b")), "relative path");
            assertEquals(EINVAL, s.mkdir("/a\0b"), "NUL byte");
            assertEquals(ENAMETOOLONG, s.create("/" + "x".repeat(PathName.NAME_MAX + 1)), "component over NAME_MAX");
            assertEquals(OK, s.create("/" + "x".repeat(PathName.NAME_MAX)), "NAME_MAX itself is fine");
            assertEquals(ENAMETOOLONG, err(s.lookup("/" + "a/".repeat(PathName.PATH_MAX / 2 + 1))), "path over PATH_MAX");

            assertEquals(OK, s.mkdir("/d"));
            assertEquals(OK, s.create("/d/f"));
            assertEquals(EEXIST, s.mkdir("/d"));
            assertEquals(EEXIST, s.create("/d/f"));
            assertEquals(EEXIST, s.mkdir("/"));
            assertEquals(EEXIST, s.create("/d/."));
            assertEquals(ENOENT, s.create("/nope/f"), "missing directory on the way");
            assertEquals(ENOTDIR, s.create("/d/f/g"), "a file used as a directory");
            assertEquals(ENOTDIR, err(s.lookup("/d/f/g")));
            assertEquals(ENOENT, s.unlink("/d/nope"));
            assertEquals(EISDIR, s.unlink("/d"), "unlink of a directory");
            assertEquals(EISDIR, s.unlink("/"));
            assertEquals(ENOTDIR, s.rmdir("/d/f"), "rmdir of a file");
            assertEquals(ENOTEMPTY, s.rmdir("/d"));
            assertEquals(EINVAL, s.rmdir("/d/."));
            assertEquals(EINVAL, s.rmdir("/"));
            assertEquals(ENOENT, s.rmdir("/nope"));

            assertEquals(EINVAL, err(s.open("/d/f", 7)), "unknown open flags");
            assertEquals(EINVAL, err(s.open("/d/f", Vfs.O_ACCMODE)));
            assertEquals(EISDIR, err(s.open("/d", Vfs.O_WRONLY)), "a directory opened for writing");
            assertEquals(ENOENT, err(s.open("/d/nope", Vfs.O_RDONLY)));
            int dfd = s.open("/d", Vfs.O_RDONLY);
            assertTrue(dfd >= 0, "a directory opens read-only");
            assertEquals(EISDIR, err(s.read(dfd, 0, new byte[4], 0, 4)), "reading a directory");
            assertEquals(OK, s.close(dfd));

            int ro = s.open("/d/f", Vfs.O_RDONLY);
            int wo = s.open("/d/f", Vfs.O_WRONLY);
            byte[] buf = new byte[16];
            assertEquals(EBADF, err(s.write(ro, 0, buf, 0, 4)), "write on a read-only descriptor");
            assertEquals(EBADF, err(s.read(wo, 0, buf, 0, 4)), "read on a write-only descriptor");
            assertEquals(EBADF, s.truncate(ro, 0), "truncate on a read-only descriptor");
            assertEquals(EBADF, err(s.read(-1, 0, buf, 0, 4)), "negative descriptor");
            assertEquals(EBADF, err(s.read(1000, 0, buf, 0, 4)), "never-opened descriptor");
            assertEquals(EBADF, err(s.fsync(999)));
            assertEquals(EINVAL, err(s.read(ro, -1, buf, 0, 4)), "negative offset");
            assertEquals(EINVAL, err(s.write(wo, -5, buf, 0, 4)), "negative offset");
            assertEquals(EINVAL, err(s.read(ro, 0, buf, 10, 10)), "buffer too small");
            assertEquals(EINVAL, err(s.read(ro, 0, null, 0, 1)), "no buffer");
            assertEquals(EINVAL, err(s.write(wo, 0, buf, -1, 4)), "negative buffer offset");
            assertEquals(EINVAL, err(s.write(wo, FileData.MAX_SIZE - 2, buf, 0, 4)), "past the largest file");
            assertEquals(EINVAL, s.truncate(wo, -1), "negative length");
            assertEquals(OK, s.close(ro));
            assertEquals(OK, s.close(wo));

            assertEquals(OK, s.mkdir("/d/sub"));
            assertEquals(EINVAL, s.rename("/d", "/d/sub/x"), "a directory moved into itself");
            assertEquals(EINVAL, s.rename("/d", "/d/x"), "a directory moved into itself (direct child)");
            assertEquals(EINVAL, s.rename("/", "/x"));
            assertEquals(EINVAL, s.rename("/d/.", "/x"));
            assertEquals(EINVAL, s.rename("/d/f", "/d/.."));
            assertEquals(ENOENT, s.rename("/d/nope", "/x"));
            assertEquals(ENOENT, s.rename("/d/f", "/nope/x"));
            assertEquals(ENOTDIR, s.rename("/d/sub", "/d/f"), "a directory over a file");
            assertEquals(EISDIR, s.rename("/d/f", "/d/sub"), "a file over a directory");
            assertEquals(OK, s.mkdir("/e"));
            assertEquals(OK, s.create("/e/inside"));
            assertEquals(ENOTEMPTY, s.rename("/d/sub", "/e"), "a directory over a non-empty one");
            assertEquals(ENOTEMPTY, s.rename("/d/sub", "/d"), "over its own non-empty parent");
            assertEquals(ENOTDIR, s.rename("/d/f/x", "/y"), "a file as a directory in the source");

            assertEquals(OK, s.unlink("/e/inside"));
            assertEquals(OK, s.rmdir("/e"));
            assertEquals(OK, s.rmdir("/d/sub"));
            assertEquals(OK, s.unlink("/d/f"));
            assertEquals(OK, s.rmdir("/d"));
            assertEquals(OK, s.unlink("/" + "x".repeat(PathName.NAME_MAX)));
            assertFalse(s.openDescriptors() > 0);
        }
    }
}
