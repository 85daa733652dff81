package org.lwktlab.netisr.load;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where flows report how they ended, for a thread outside the kernel to check: finished flows, the
 * failures (with the reason), and per-connection stream digests keyed by the client's port. Written
 * once per connection (not per packet), from any CPU.
 */
public final class Outcomes {
    /** A stream's length and CRC-32. */
    public record Digest(long bytes, long crc) {}

    private final AtomicInteger finished = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final Map<Integer, Digest> digests = new ConcurrentHashMap<>();

    void finished() {
        finished.incrementAndGet();
    }

    void failed(String why) {
        failures.add(why);
        finished.incrementAndGet();
    }

    void digest(int clientPort, long bytes, long crc) {
        Digest old = digests.put(clientPort, new Digest(bytes, crc));
        if (old != null) {
            failures.add("two streams reported for client port " + clientPort);
        }
    }

    /** Flows that ended, either way. */
    public int ended() {
        return finished.get();
    }

    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** Digests by client port. */
    public Map<Integer, Digest> digests() {
        return Map.copyOf(digests);
    }
}
