package org.lwktlab.bench.support;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Take this state in a benchmark whose JMH thread is one end of the hand-off (the pinger, the
 * producer, a lock user): with {@code lwkt.bench.pin=on} it pins JMH thread {@code i} to core
 * {@code i % cores} before each iteration (JMH may hand an iteration to another pool thread).
 */
@State(Scope.Thread)
public class Driver {
    @Setup(Level.Iteration)
    public void pin(ThreadParams t) {
        BenchSettings.pinDriver(t.getThreadIndex());
    }
}
