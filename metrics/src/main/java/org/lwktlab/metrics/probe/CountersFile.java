package org.lwktlab.metrics.probe;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

/**
 * The on-disk layout of a run's counters, so another process ({@code bin/lab stat}) can attach and
 * read them live — the idea of Aeron's CnC file, with Agrona's counters.
 *
 * <pre>
 *   0  long  magic "LWKTCNT1"
 *   8  int   layout version
 *  12  int   metadata length (bytes)
 *  16  int   values length (bytes)
 *  20  int   reserved
 *  24  long  pid of the writing process
 *  32  long  start time, epoch ms
 *  64  metadata  (capacity x 512 B, Agrona layout)
 *  ..  values    (capacity x 128 B, Agrona layout)
 * </pre>
 */
public final class CountersFile {
    /** Magic number at offset 0. */
    public static final long MAGIC = 0x3154_4E43_544B_574CL; // "LWKTCNT1" little-endian
    /** Layout version written by this class. */
    public static final int VERSION = 1;
    /** Bytes before the metadata section. */
    public static final int HEADER_LENGTH = 64;

    private CountersFile() {}

    /** Bytes a file for {@code capacity} counters needs. */
    public static long length(int capacity) {
        return HEADER_LENGTH + (long) capacity * (CountersReader.METADATA_LENGTH + CountersReader.COUNTER_LENGTH);
    }

    /** Creates (or replaces) the file and maps it; returns {metadata, values} buffers and the mapping. */
    static Mapping create(Path path, int capacity) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create counters file " + path + ": " + e.getMessage(), e);
        }
        File f = path.toFile();
        MappedByteBuffer mapped = IoUtil.mapNewFile(f, length(capacity), true);
        UnsafeBuffer whole = new UnsafeBuffer(mapped);
        int metaLen = capacity * CountersReader.METADATA_LENGTH;
        int valuesLen = capacity * CountersReader.COUNTER_LENGTH;
        whole.putInt(8, VERSION);
        whole.putInt(12, metaLen);
        whole.putInt(16, valuesLen);
        whole.putLong(24, ProcessHandle.current().pid());
        whole.putLong(32, System.currentTimeMillis());
        UnsafeBuffer meta = new UnsafeBuffer(mapped, HEADER_LENGTH, metaLen);
        UnsafeBuffer values = new UnsafeBuffer(mapped, HEADER_LENGTH + metaLen, valuesLen);
        whole.putLongRelease(0, MAGIC); // last: a reader that sees the magic sees the header
        return new Mapping(mapped, meta, values);
    }

    /**
     * Opens a counters file another process is writing, read-only in spirit.
     *
     * @throws IllegalArgumentException if the file is missing or not a counters file
     */
    public static Attached open(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("no counters file at " + path
                    + " (is a run with --counters-file or --serve-metrics going?)");
        }
        MappedByteBuffer mapped = IoUtil.mapExistingFile(path.toFile(), "lwkt counters");
        UnsafeBuffer whole = new UnsafeBuffer(mapped);
        if (whole.capacity() < HEADER_LENGTH || whole.getLongAcquire(0) != MAGIC) {
            IoUtil.unmap(mapped);
            throw new IllegalArgumentException(path + " is not an LWKT Lab counters file");
        }
        int version = whole.getInt(8);
        if (version != VERSION) {
            IoUtil.unmap(mapped);
            throw new IllegalArgumentException(path + " has counters layout " + version + ", this build reads " + VERSION);
        }
        int metaLen = whole.getInt(12);
        int valuesLen = whole.getInt(16);
        UnsafeBuffer meta = new UnsafeBuffer(mapped, HEADER_LENGTH, metaLen);
        UnsafeBuffer values = new UnsafeBuffer(mapped, HEADER_LENGTH + metaLen, valuesLen);
        return new Attached(mapped, new CountersReader(meta, values), whole.getLong(24), whole.getLong(32));
    }

    record Mapping(MappedByteBuffer mapped, UnsafeBuffer meta, UnsafeBuffer values) {}

    /**
     * A counters file opened by a reader.
     *
     * @param reader    Agrona reader over the file's counters; labels are {@code name{labels}}
     * @param pid       the writer's process id
     * @param startedMs when the writer created the file
     */
    public record Attached(MappedByteBuffer mapped, CountersReader reader, long pid, long startedMs)
            implements AutoCloseable {
        /** True while the writing process is alive. */
        public boolean writerAlive() {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }

        @Override
        public void close() {
            IoUtil.unmap(mapped);
        }
    }
}
