package org.lwktlab.netisr;

import java.util.function.Consumer;

/**
 * An open-addressing hash table from {@code long} keys to objects — the PCB hash ({@code tcbinfo}'s
 * {@code inp_hashbase}) and the listen table. Linear probing with backward-shift deletion, so there
 * are no tombstones and lookups stay short under connect/close churn; it doubles at 50% load.
 * Lookups, inserts and removes allocate nothing (a resize allocates the new arrays).
 *
 * <p><b>Not thread-safe.</b> The message design gives each CPU its own table, touched only there; the
 * mutex design guards its one global table with the {@code pcbinfo} lock.
 *
 * @param <T> the value type
 */
final class LongTable<T> {
    private long[] keys;
    private Object[] values;
    private int size;
    private int mask;

    LongTable(int initialCapacity) {
        int cap = Integer.highestOneBit(Math.max(16, initialCapacity * 2 - 1) << 1);
        keys = new long[cap];
        values = new Object[cap];
        mask = cap - 1;
    }

    private static int spread(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    @SuppressWarnings("unchecked")
    T get(long key) {
        int i = spread(key) & mask;
        Object v;
        while ((v = values[i]) != null) {
            if (keys[i] == key) {
                return (T) v;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** Inserts {@code value} under {@code key}; returns the value already there (and keeps it), or null. */
    @SuppressWarnings("unchecked")
    T putIfAbsent(long key, T value) {
        if (value == null) {
            throw new IllegalArgumentException("null value for key " + key);
        }
        if ((size + 1) * 2 > keys.length) {
            resize(keys.length * 2);
        }
        int i = spread(key) & mask;
        Object v;
        while ((v = values[i]) != null) {
            if (keys[i] == key) {
                return (T) v;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        size++;
        return null;
    }

    /** Removes {@code key} if it maps to {@code value}; true if it did. */
    boolean remove(long key, T value) {
        int i = spread(key) & mask;
        Object v;
        while ((v = values[i]) != null) {
            if (keys[i] == key) {
                if (v != value) {
                    return false;
                }
                deleteAt(i);
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    private void deleteAt(int hole) {
        int i = hole;
        for (;;) {
            i = (i + 1) & mask;
            if (values[i] == null) {
                break;
            }
            int home = spread(keys[i]) & mask;
            // move entry i back into the hole if the hole lies on its probe path (home .. i, cyclically)
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                keys[hole] = keys[i];
                values[hole] = values[i];
                hole = i;
            }
        }
        values[hole] = null;
        keys[hole] = 0;
        size--;
    }

    private void resize(int cap) {
        long[] ok = keys;
        Object[] ov = values;
        keys = new long[cap];
        values = new Object[cap];
        mask = cap - 1;
        size = 0;
        for (int i = 0; i < ok.length; i++) {
            if (ov[i] != null) {
                int j = spread(ok[i]) & mask;
                while (values[j] != null) {
                    j = (j + 1) & mask;
                }
                keys[j] = ok[i];
                values[j] = ov[i];
                size++;
            }
        }
    }

    int size() {
        return size;
    }

    /** Calls {@code action} on every value (a snapshot, so the action may remove entries). */
    @SuppressWarnings("unchecked")
    void forEach(Consumer<T> action) {
        Object[] snap = values.clone();
        for (Object v : snap) {
            if (v != null) {
                action.accept((T) v);
            }
        }
    }
}
