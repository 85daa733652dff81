package org.lwktlab.metrics.stat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.lwktlab.metrics.probe.CountersFile;

/**
 * The agreed place where runs keep their memory-mapped counters files ({@link CountersFile}), so that
 * {@code bin/lab stat} in another terminal finds the newest live run without being told where it is —
 * Aeron's "CnC file in a known directory", for probes.
 *
 * <p>The directory is {@code $LWKT_COUNTERS_DIR} when set, else {@code /dev/shm/lwkt-lab-USER} on
 * machines with a writable {@code /dev/shm} (tmpfs: the counters never touch a disk), else
 * {@code java.io.tmpdir/lwkt-lab-USER}. A run names each trial's file {@code lwkt-PID-ORDER.counters}
 * and deletes it when the trial ends; files of processes that died are removed by the next run.
 */
public final class CountersDirectory {
    /** Environment variable naming the directory. */
    public static final String ENV = "LWKT_COUNTERS_DIR";
    private static final String SUFFIX = ".counters";

    private final Path dir;

    public CountersDirectory(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
    }

    /** The directory in effect for this process (see the class comment). */
    public static CountersDirectory standard() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return new CountersDirectory(Path.of(env));
        }
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return new CountersDirectory(shm.resolve("lwkt-lab-" + user));
        }
        return new CountersDirectory(Path.of(System.getProperty("java.io.tmpdir"), "lwkt-lab-" + user));
    }

    public Path dir() {
        return dir;
    }

    /** The file for trial {@code order} of the process {@code pid}. */
    public Path fileFor(long pid, int order) {
        return dir.resolve("lwkt-" + pid + "-" + order + SUFFIX);
    }

    /**
     * A counters file found in the directory, with its writer.
     *
     * @param file      the file
     * @param pid       the writing process
     * @param startedMs when the writer created it
     * @param alive     whether the writer still runs
     */
    public record Entry(Path file, long pid, long startedMs, boolean alive) {}

    /** Every readable counters file in the directory, newest first. Unreadable or half-written files are skipped. */
    public List<Entry> list() {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : ds) {
                try (CountersFile.Attached a = CountersFile.open(p)) {
                    out.add(new Entry(p, a.pid(), a.startedMs(), a.writerAlive()));
                } catch (Exception e) { // Agrona rethrows an IOException unchecked, hence Exception
                    // being created (no magic yet), or deleted while we looked: not a run to attach to
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list counters directory " + dir + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparingLong(Entry::startedMs).reversed().thenComparing(e -> e.file().toString()));
        return out;
    }

    /** The newest file whose writer is alive. */
    public Optional<Entry> newestLive() {
        return list().stream().filter(Entry::alive).findFirst();
    }

    /**
     * Deletes files whose writer has died (a run killed before it could clean up).
     *
     * @return how many were deleted
     */
    public int removeStale() {
        int n = 0;
        for (Entry e : list()) {
            if (!e.alive()) {
                try {
                    if (Files.deleteIfExists(e.file())) {
                        n++;
                    }
                } catch (IOException ex) {
                    throw new IllegalStateException("cannot delete stale counters file " + e.file() + ": "
                            + ex.getMessage(), ex);
                }
            }
        }
        return n;
    }
}
