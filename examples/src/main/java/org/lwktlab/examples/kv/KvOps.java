package org.lwktlab.examples.kv;

import org.agrona.collections.Long2LongHashMap;

/**
 * The store's operations on one map, shared by every design: the designs differ only in who runs them
 * and how they are serialised — a message to the owning CPU, or a lock.
 */
final class KvOps {
    static final int GET = 0;
    static final int PUT = 1;
    static final int DELETE = 2;

    private KvOps() {}

    static Long2LongHashMap newMap() {
        return new Long2LongHashMap(1024, 0.65f, KvStore.MISSING);
    }

    /** Runs {@code op} on {@code map}; the result is the value (GET), the old value (PUT) or 1/0 (DELETE). */
    static long apply(Long2LongHashMap map, int op, long key, long value) {
        return switch (op) {
            case GET -> map.get(key);
            case PUT -> map.put(key, value);
            case DELETE -> map.remove(key) == KvStore.MISSING ? 0 : 1;
            default -> throw new IllegalArgumentException("unknown kv operation " + op);
        };
    }

    static void checkValue(long value) {
        if (value == KvStore.MISSING) {
            throw new IllegalArgumentException("Long.MIN_VALUE marks a missing key and cannot be stored");
        }
    }
}
