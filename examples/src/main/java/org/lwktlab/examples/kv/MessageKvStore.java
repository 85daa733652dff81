package org.lwktlab.examples.kv;

import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.Long2LongHashMap;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.ShutdownReport;
import org.lwktlab.lwkt.WaitPort;

/**
 * The {@code message} design: the keys are partitioned by hash over the CPUs; each CPU's shard thread
 * owns its part of the map, and every operation is a message to the owner. No lock anywhere — the
 * shard's map is touched only by its own CPU.
 *
 * <p><b>Invariants:</b> a key always lives on shard {@code shardOf(key)}; a shard's map is read and
 * written only by its thread; each session's message is in flight at most once (sessions are
 * single-threaded and {@code domsg} waits).
 */
public final class MessageKvStore implements KvStore {
    /** A store operation travelling to its shard: the request's fields and the answer. */
    static final class KvMsg extends Message {
        int op;
        long key;
        long value;
    }

    private final Kernel kernel;
    private final LwktThread[] shards;

    public MessageKvStore(Kernel kernel) {
        this.kernel = kernel;
        int n = kernel.ncpus();
        shards = new LwktThread[n];
        for (int cpu = 0; cpu < n; cpu++) {
            final Long2LongHashMap map = KvOps.newMap(); // owned by this shard's CPU from now on
            shards[cpu] = kernel.spawn(cpu, "kv-shard" + cpu, m -> {
                KvMsg k = (KvMsg) m;
                k.result(KvOps.apply(map, k.op, k.key, k.value));
                Lwkt.replymsg(k, Errno.OK);
            });
        }
    }

    /** The shard that owns {@code key}: a multiplicative hash spread over the CPUs. */
    int shardOf(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) ((h >>> 32) % shards.length);
    }

    @Override
    public Session session() {
        final KvMsg msg = new KvMsg();
        msg.init(WaitPort.get());
        return new Session() {
            private long call(int op, long key, long value) {
                msg.op = op;
                msg.key = key;
                msg.value = value;
                int err = Lwkt.domsg(shards[shardOf(key)].port(), msg);
                if (err != Errno.OK) {
                    throw new IllegalStateException("kv " + op + " on key " + key + " failed: " + Errno.name(err),
                            msg.exception());
                }
                return msg.result();
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
        ShutdownReport r = kernel.shutdown();
        List<String> problems = new ArrayList<>(r.problems());
        if (r.handlerErrors() > 0) {
            problems.add(r.handlerErrors() + " handler errors, first: " + r.errors().getFirst());
        }
        return problems;
    }
}
