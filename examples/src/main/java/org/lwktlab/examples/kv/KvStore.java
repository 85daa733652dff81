package org.lwktlab.examples.kv;

/**
 * A tiny key-value store: the subsystem of the "write your own subsystem" tutorial. One API, several
 * designs; a workload cannot tell which one it drives.
 *
 * <p>Each client thread opens its own {@link Session} once and reuses it, so a call allocates nothing
 * in either design.
 */
public interface KvStore {
    /** Value returned by {@link Session#get} for a missing key. */
    long MISSING = Long.MIN_VALUE;

    /** A new session for the calling thread; use it from that thread only. */
    Session session();

    /**
     * Stops the store. Returns problems found on the way (empty when it shut down clean: every request
     * answered, nothing leaked).
     */
    java.util.List<String> shutdown();

    /** One client's handle on the store. */
    interface Session {
        /** The value of {@code key}, or {@link #MISSING}. */
        long get(long key);

        /** Sets {@code key} to {@code value} ({@link #MISSING} is not a storable value). */
        void put(long key, long value);

        /** Removes {@code key}; true if it was there. */
        boolean delete(long key);
    }
}
