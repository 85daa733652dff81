package org.lwktlab.examples.kv;

import java.util.List;
import org.agrona.collections.Long2LongHashMap;
import org.lwktlab.lwkt.lock.LockKind;
import org.lwktlab.lwkt.lock.ProbedLock;
import org.lwktlab.lwkt.lock.Section;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * The {@code mutex} design: one shared map under one lock from the portfolio; every operation runs on
 * the caller's thread inside a critical section. The lock counts acquisitions, contention and wait time.
 */
public final class MutexKvStore implements KvStore {
    /** The request a critical section reads: the op and the value travel in a per-session box. */
    static final class Request {
        final Long2LongHashMap map;
        int op;
        long value;

        Request(Long2LongHashMap map) {
            this.map = map;
        }
    }

    private static final Section APPLY = (state, key) -> {
        Request r = (Request) state;
        return KvOps.apply(r.map, r.op, key, r.value);
    };

    private final Long2LongHashMap map = KvOps.newMap();
    private final ProbedLock lock;

    public MutexKvStore(LockKind kind, ProbeRegistry probes) {
        this.lock = ProbedLock.create(kind, "kv", probes, Labels.of("subsystem", "kv"));
    }

    @Override
    public Session session() {
        final ProbedLock.Handle h = lock.handle();
        final Request req = new Request(map);
        return new Session() {
            private long call(int op, long key, long value) {
                req.op = op;
                req.value = value;
                return h.locked(APPLY, req, key);
            }

            @Override
            public long get(long key) {
                return call(KvOps.GET, key, 0);
            }

            @Override
            public void put(long key, long value) {
                KvOps.checkValue(value);
                call(KvOps.PUT, key, value);
            }

            @Override
            public boolean delete(long key) {
                return call(KvOps.DELETE, key, 0) == 1;
            }
        };
    }

    @Override
    public List<String> shutdown() {
        return List.of();
    }
}
