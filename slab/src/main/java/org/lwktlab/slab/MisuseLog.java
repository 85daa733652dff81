package org.lwktlab.slab;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

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
}
