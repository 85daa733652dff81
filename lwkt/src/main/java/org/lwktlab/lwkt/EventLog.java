package org.lwktlab.lwkt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Objects;

/**
 * Where a deterministic {@link Simulation} writes what it did, one line per step: the step number, the
 * simulated time, the CPU, and the choice (which inbound ring it drained, which thread it ran). Only
 * values that replay identically go in — names, counts, sequence numbers; never identity hash codes or
 * real times — so two runs with one seed produce byte-identical logs, and the first differing line of
 * two logs is where two interleavings part.
 *
 * <p>Written by the simulation's driver thread only (and by its controller between runs, for
 * {@link #note}s), so implementations need no locking.
 */
public interface EventLog {
    /**
     * One step.
     *
     * @param step  steps taken before this one
     * @param nanos simulated time after it
     * @param depth 0 for a step the scheduler chose; more when a CPU waiting in a spin loop let another
     *              CPU step
     * @param cpu   the CPU that stepped
     * @param what  the choice, as text ({@code ipi<-cpu0 (2 queued)}, {@code run 'server' (1 queued)})
     */
    void step(long step, long nanos, int depth, int cpu, String what);

    /** A line that is not a step (a header, simulated idle time). */
    void note(String line);

    /** Pushes buffered lines out. */
    default void flush() {}

    /**
     * A log that writes lines to {@code out} ({@code 000042 t=43000ns cpu1 run 'server' (1 queued)}).
     * The caller closes {@code out}.
     */
    static EventLog to(Writer out) {
        Objects.requireNonNull(out, "out");
        return new EventLog() {
            private final StringBuilder line = new StringBuilder(96);

            @Override
            public void step(long step, long nanos, int depth, int cpu, String what) {
                line.setLength(0);
                String n = Long.toString(step);
                for (int i = n.length(); i < 7; i++) {
                    line.append('0');
                }
                line.append(n).append(" t=").append(nanos).append("ns ");
                for (int i = 0; i < depth; i++) {
                    line.append("> ");
                }
                line.append("cpu").append(cpu).append(' ').append(what).append('\n');
                write(line);
            }

            @Override
            public void note(String text) {
                line.setLength(0);
                line.append("# ").append(text).append('\n');
                write(line);
            }

            private void write(CharSequence s) {
                try {
                    out.append(s);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the event log", e);
                }
            }

            @Override
            public void flush() {
                try {
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the event log", e);
                }
            }
        };
    }
}
