package org.lwktlab.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwktlab.vfs.VfsError.OK;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Concurrent renames, unlinks, creates and directory moves from clients on every CPU leave a tree equal
 * to a sequential model, with every live inode reachable exactly once, and never deadlock.
 */
class VfsConcurrencyTest {
    static final List<String> DESIGNS = Fixture.DESIGNS;
    private static final int CPUS = 3;
    private static final int DIRS = 6;

    /** Writes file {@code id}'s identity (8 bytes) so the walk can tell which file sits at each name. */
    private static void makeFile(VfsSession s, String path, long id) {
        assertEquals(OK, s.create(path), path);
        int fd = s.open(path, Vfs.O_WRONLY);
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (id >>> (8 * i));
        }
        assertEquals(8, s.write(fd, 0, b, 0, 8));
        assertEquals(OK, s.close(fd));
    }

    private static long fileId(VfsSession s, String path) {
        int fd = s.open(path, Vfs.O_RDONLY);
        assertTrue(fd >= 0, path);
        byte[] b = new byte[8];
        assertEquals(8, s.read(fd, 0, b, 0, 8), path);
        assertEquals(OK, s.close(fd));
        long id = 0;
        for (int i = 0; i < 8; i++) {
            id |= (b[i] & 0xFFL) << (8 * i);
        }
        return id;
    }

    /** Walks the whole tree: path → file id (files) or -1 (directories); asserts no inode is reached twice. */
    private static Map<String, Long> walk(VfsSession s, Fixture f) {
        Map<String, Long> tree = new TreeMap<>();
        Set<Long> seen = new HashSet<>();
        seen.add(Vfs.ROOT_INO);
        List<String> todo = new ArrayList<>(List.of("/"));
        while (!todo.isEmpty()) {
            String dir = todo.removeLast();
            String cursor = null;
            while (true) {
                assertEquals(OK, s.readdir(dir, cursor), dir);
                DirBuffer b = s.request().dirBuffer();
                List<String> names = new ArrayList<>();
                List<FileType> types = new ArrayList<>();
                for (int i = 0; i < b.count(); i++) {
                    assertTrue(seen.add(b.ino(i)), "inode " + b.ino(i) + " reached twice (at " + dir + b.name(i) + ")");
                    names.add(b.name(i));
                    types.add(b.type(i));
                }
                boolean end = b.end();
                cursor = b.cursor();
                for (int i = 0; i < names.size(); i++) {
                    String p = dir + names.get(i);
                    if (types.get(i) == FileType.DIRECTORY) {
                        tree.put(p + "/", -1L);
                        todo.add(p + "/");
                    } else {
                        tree.put(p, fileId(s, p));
                    }
                }
                if (end) {
                    break;
                }
            }
        }
        assertEquals(seen.size(), f.vfs.liveInodes(), "every live inode is reachable (none lost, none detached)");
        return tree;
    }

    private static String dir(int d) {
        return "/d" + d + "/";
    }

    @ParameterizedTest
    @FieldSource("DESIGNS")
    void disjointRenamesAndUnlinksFromAllCpusEqualTheSequentialModel(String design) {
        try (Fixture f = Fixture.of(design, CPUS)) {
            VfsSession setup = f.session("setup");
            Map<String, Long> model = new TreeMap<>();
            for (int d = 0; d < DIRS; d++) {
                assertEquals(OK, setup.mkdir("/d" + d));
                model.put(dir(d), -1L);
            }
            int clients = CPUS * 2;
            int filesPerClient = 12;
            long nextId = 1;
            List<List<Consumer<VfsRequest>>> scripts = new ArrayList<>();
            List<List<VfsError>> expected = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                SplittableRandom rnd = new SplittableRandom(1000 + c);
                Map<String, Long> mine = new HashMap<>();
                for (int k = 0; k < filesPerClient; k++) {
                    String p = dir(rnd.nextInt(DIRS)) + "c" + c + "f" + k;
                    makeFile(setup, p, nextId);
                    mine.put(p, nextId);
                    model.put(p, nextId);
                    nextId++;
                }
                List<Consumer<VfsRequest>> ops = new ArrayList<>();
                List<VfsError> exp = new ArrayList<>();
                int seq = 0;
                for (int step = 0; step < 60 && !mine.isEmpty(); step++) {
                    List<String> names = new ArrayList<>(mine.keySet());
                    names.sort(null);
                    String from = names.get(rnd.nextInt(names.size()));
                    if (rnd.nextInt(8) == 0) {
                        ops.add(r -> r.unlink(from));
                        exp.add(OK);
                        mine.remove(from);
                        model.remove(from);
                    } else {
                        String to = dir(rnd.nextInt(DIRS)) + "c" + c + "r" + (seq++);
                        ops.add(r -> r.rename(from, to));
                        exp.add(OK);
                        Long id = mine.remove(from);
                        mine.put(to, id);
                        model.remove(from);
                        model.put(to, id);
                    }
                    String missing = dir(rnd.nextInt(DIRS)) + "c" + c + "none";
                    ops.add(r -> r.getattr(missing));
                    exp.add(VfsError.ENOENT);
                }
                scripts.add(ops);
                expected.add(exp);
            }
            List<List<KernelClients.Outcome>> got = KernelClients.run(f, scripts);
            for (int c = 0; c < clients; c++) {
                for (int i = 0; i < expected.get(c).size(); i++) {
                    assertEquals(expected.get(c).get(i), got.get(c).get(i).status(), design + ": client " + c + " op " + i);
                }
            }
            assertEquals(model, walk(setup, f), design + ": the tree after the run");
            for (String p : model.keySet()) {
                if (!p.endsWith("/")) {
                    assertEquals(OK, setup.unlink(p));
                }
            }
        }
    }

    @ParameterizedTest
    @FieldSource("DESIGNS")
    void racingRenamesAndUnlinksOfTheSameNamesMatchAChainModel(String design) {
        try (Fixture f = Fixture.of(design, CPUS)) {
            VfsSession setup = f.session("setup");
            for (int d = 0; d < DIRS; d++) {
                assertEquals(OK, setup.mkdir("/d" + d));
            }
            int files = 24;
            Map<String, Long> initial = new HashMap<>();
            for (int k = 0; k < files; k++) {
                String p = dir(k % DIRS) + "f" + k;
                makeFile(setup, p, k + 1);
                initial.put(p, (long) k + 1);
            }
            int clients = CPUS * 2;
            List<List<Consumer<VfsRequest>>> scripts = new ArrayList<>();
            List<List<String[]>> attempts = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                SplittableRandom rnd = new SplittableRandom(77 + c);
                List<Consumer<VfsRequest>> ops = new ArrayList<>();
                List<String[]> att = new ArrayList<>();
                for (int step = 0; step < 80; step++) {
                    // Every client guesses names any client may have produced: initial names and earlier renames.
                    int k = rnd.nextInt(files);
                    int gen = rnd.nextInt(4);
                    int who = rnd.nextInt(clients);
                    String from = gen == 0 ? dir(k % DIRS) + "f" + k
                            : dir(rnd.nextInt(DIRS)) + "r" + who + "_" + rnd.nextInt(Math.max(1, step));
                    if (rnd.nextInt(10) == 0) {
                        ops.add(r -> r.unlink(from));
                        att.add(new String[] {"unlink", from});
                    } else {
                        String to = dir(rnd.nextInt(DIRS)) + "r" + c + "_" + step;
                        ops.add(r -> r.rename(from, to));
                        att.add(new String[] {"rename", from, to});
                    }
                }
                scripts.add(ops);
                attempts.add(att);
            }
            List<List<KernelClients.Outcome>> got = KernelClients.run(f, scripts);

            // The chain model: destination names are unique, so each name holds at most one file in its life,
            // and a successful rename or unlink names the file that held its source at that moment.
            Map<String, String> movedTo = new HashMap<>();
            Set<String> unlinked = new HashSet<>();
            int successes = 0;
            for (int c = 0; c < clients; c++) {
                for (int i = 0; i < attempts.get(c).size(); i++) {
                    String[] a = attempts.get(c).get(i);
                    VfsError st = got.get(c).get(i).status();
                    if (st != OK) {
                        assertEquals(VfsError.ENOENT, st, design + ": " + String.join(" ", a));
                        continue;
                    }
                    successes++;
                    boolean fresh = a[0].equals("unlink") ? unlinked.add(a[1]) && !movedTo.containsKey(a[1])
                            : !unlinked.contains(a[1]) && movedTo.put(a[1], a[2]) == null;
                    assertTrue(fresh, design + ": a name was moved or removed twice: " + String.join(" ", a));
                }
            }
            assertTrue(successes > 0, "some operations succeed");
            Map<String, Long> model = new TreeMap<>();
            for (int d = 0; d < DIRS; d++) {
                model.put(dir(d), -1L);
            }
            for (Map.Entry<String, Long> e : initial.entrySet()) {
                String at = e.getKey();
                Set<String> chain = new HashSet<>();
                while (movedTo.containsKey(at)) {
                    assertTrue(chain.add(at), "a rename chain loops");
                    at = movedTo.get(at);
                }
                if (!unlinked.contains(at)) {
                    assertNull(model.put(at, e.getValue()), "two files end at " + at);
                }
            }
            for (String u : unlinked) {
                assertTrue(initial.containsKey(u) || movedTo.containsValue(u), "unlinked a name no file ever had: " + u);
                assertTrue(!movedTo.containsKey(u), "a file was renamed away from a name after it was unlinked: " + u);
            }
            assertEquals(model, walk(setup, f), design + ": the tree equals the chain model");
            for (String p : model.keySet()) {
                if (!p.endsWith("/")) {
                    assertEquals(OK, setup.unlink(p));
                }
            }
        }
    }

    @ParameterizedTest
    @FieldSource("DESIGNS")
    void concurrentDirectoryMovesNeverMakeACycleOrDeadlock(String design) {
        try (Fixture f = Fixture.of(design, CPUS)) {
            VfsSession setup = f.session("setup");
            int n = 4;
            for (int i = 0; i < n; i++) {
                assertEquals(OK, setup.mkdir("/t" + i));
                makeFile(setup, "/t" + i + "/leaf", 100 + i);
            }
            int clients = CPUS * 2;
            List<List<Consumer<VfsRequest>>> scripts = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                SplittableRandom rnd = new SplittableRandom(500 + c);
                List<Consumer<VfsRequest>> ops = new ArrayList<>();
                for (int step = 0; step < 200; step++) {
                    // Move a directory found by a short walk under another, or back up to the root: attempts
                    // such as /t1 -> /t2/x and /t2 -> /t1/y race, and at most one of each such pair may win.
                    int a = rnd.nextInt(n);
                    int b = rnd.nextInt(n);
                    String from = rnd.nextBoolean() ? "/t" + a : "/t" + b + "/t" + a;
                    String to = rnd.nextInt(3) == 0 ? "/t" + a : "/t" + b + "/t" + a;
                    ops.add(r -> r.rename(from, to));
                    if (rnd.nextInt(4) == 0) {
                        String p = "/t" + b + "/t" + a + "/leaf";
                        ops.add(r -> r.getattr(p));
                    }
                }
                scripts.add(ops);
            }
            List<List<KernelClients.Outcome>> got = KernelClients.run(f, scripts);
            Map<VfsError, Integer> seen = new TreeMap<>();
            for (List<KernelClients.Outcome> out : got) {
                for (KernelClients.Outcome o : out) {
                    assertTrue(Set.of(OK, VfsError.ENOENT, VfsError.EINVAL, VfsError.ENOTEMPTY)
                            .contains(o.status()), design + ": unexpected " + o.status());
                    seen.merge(o.status(), 1, Integer::sum);
                }
            }
            assertTrue(seen.getOrDefault(OK, 0) > 10 && seen.getOrDefault(VfsError.EINVAL, 0) > 0,
                    design + ": the run moved directories and refused moves into themselves: " + seen);
            Map<String, Long> tree = walk(setup, f);
            long dirs = tree.values().stream().filter(v -> v == -1L).count();
            long leaves = tree.values().stream().filter(v -> v != -1L).count();
            assertEquals(n, dirs, design + ": every directory is still in the tree, once: " + tree.keySet());
            assertEquals(n, leaves, design + ": every leaf is still in the tree, once");
            List<String> paths = new ArrayList<>(tree.keySet());
            paths.sort((x, y) -> y.length() - x.length());
            for (String p : paths) {
                assertEquals(OK, p.endsWith("/") ? setup.rmdir(p) : setup.unlink(p), p);
            }
        }
    }
}
