package org.lwktlab.slab;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.lwktlab.lwkt.ShutdownReport;

/**
 * The misuses a slab refused: counted, the first {@link #KEEP} kept. Those found away from the caller
 * (verified by the owner CPU after the free was handed over) are "unreported": nobody got an exception
 * for them, so the shutdown report lists them as problems. Any thread; misuse is rare, so a lock is fine.
 */
final class MisuseLog {
    static final int KEEP = 100;

    private final AtomicLong count = new AtomicLong();
    private final AtomicLong unreported = new AtomicLong();
    private final List<SlabMisuseException> first = new ArrayList<>();

    /** Records {@code e}; {@code thrown} when the caller gets it as an exception. Returns {@code e}. */
    SlabMisuseException record(SlabMisuseException e, boolean thrown) {
        e.thrown = thrown;
        count.incrementAndGet();
        if (!thrown) {
            unreported.incrementAndGet();
        }
        synchronized (first) {
            if (first.size() < KEEP) {
                first.add(e);
            }
        }
        return e;
    }

    long count() {
        return count.get();
    }

    long unreported() {
        return unreported.get();
    }

    List<SlabMisuseException> first() {
        synchronized (first) {
            return List.copyOf(first);
        }
    }

    /** Lists the misuses in {@code b}; the unreported ones also as a problem. */
    void addTo(ShutdownReport.Builder b, Slab slab) {
        if (count() == 0) {
            return;
        }
        String label = "slab '" + slab.name() + "' (" + slab.design() + ")";
        List<SlabMisuseException> kept = first();
        for (SlabMisuseException e : kept) {
            b.line(label + " misuses", e.getMessage());
        }
        if (count() > kept.size()) {
            b.line(label + " misuses", "... " + (count() - kept.size()) + " more");
        }
        long u = unreported();
        if (u > 0) {
            String firstUnreported = kept.stream().filter(e -> !e.thrown()).map(Throwable::getMessage).findFirst()
                    .orElse("not kept");
            b.problem(label + ": " + u + " misuse(s) were refused by a chunk's owner after the caller had moved on"
                    + " (first: " + firstUnreported + ")");
        }
    }
}
