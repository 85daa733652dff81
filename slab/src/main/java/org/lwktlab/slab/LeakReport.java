package org.lwktlab.slab;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.lwktlab.lwkt.ShutdownReport;

/**
 * The leak report a slab adds to {@code Kernel.shutdown()}: every chunk still allocated, per owner and
 * zone, totals per size class, and a few handles of each zone so a test (or a person) can find the
 * culprit. Filled by one thread at a time (the owners take turns, each handing over through a latch).
 */
final class LeakReport {
    /** Handles listed per zone. */
    static final int SAMPLE = 8;

    private final List<String> zoneLines = new ArrayList<>();
    private final Map<Integer, long[]> perClass = new TreeMap<>(); // chunk size -> {chunks}
    private long chunks;
    private long bytes;

    /**
     * {@code n} chunks of {@code chunkSize} B are outstanding at {@code where} (e.g. "cpu 1, zone 7");
     * {@code handles} are some of them.
     */
    void group(String where, int chunkSize, int n, List<Long> handles) {
        StringBuilder sb = new StringBuilder();
        sb.append(where).append(" (size class ").append(chunkSize).append(" B): ")
                .append(n).append(" chunk(s), ").append((long) n * chunkSize).append(" B outstanding: ");
        for (int i = 0; i < handles.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format("0x%016x", handles.get(i)));
        }
        if (n > handles.size()) {
            sb.append(", ...");
        }
        zoneLines.add(sb.toString());
        perClass.computeIfAbsent(chunkSize, k -> new long[1])[0] += n;
        chunks += n;
        bytes += (long) n * chunkSize;
    }

    long chunks() {
        return chunks;
    }

    /** Adds the report to {@code b}: a section of lines, and a problem when anything leaked. */
    void addTo(ShutdownReport.Builder b, Slab slab) {
        String title = "slab '" + slab.name() + "' (" + slab.design() + ") leaks";
        if (chunks == 0) {
            b.line(title, "none: every chunk allocated was freed");
            return;
        }
        for (String l : zoneLines) {
            b.line(title, l);
        }
        perClass.forEach((size, n) -> b.line(title, "size class " + size + " B: " + n[0] + " chunk(s) outstanding"));
        b.problem("slab '" + slab.name() + "' (" + slab.design() + "): " + chunks + " chunk(s), " + bytes
                + " B still allocated at shutdown (leaked; see '" + title + "')");
    }
}
