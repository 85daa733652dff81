package org.lwktlab.lab.experiment;

import java.util.ArrayList;
import java.util.List;
import org.lwktlab.lwkt.ShutdownReport;

/**
 * A correctness check a trial ran (no lost update, every message replied, ...). A failed check marks
 * the trial's numbers as untrustworthy and makes {@code bin/lab run} exit non-zero.
 *
 * @param name   what was checked
 * @param ok     whether it held
 * @param detail the numbers behind it
 */
public record Check(String name, boolean ok, String detail) {
    /** A check comparing two counts that must be equal. */
    public static Check equal(String name, long expected, long actual) {
        return new Check(name, expected == actual, "expected " + expected + ", got " + actual);
    }

    /** The kernel's shutdown report as checks: clean shutdown, and each problem it found. */
    public static List<Check> fromShutdown(ShutdownReport r) {
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("kernel shut down clean (every message replied, nothing leaked)", r.clean(),
                r.messagesSent() + " sent, " + r.messagesReplied() + " replied"
                        + (r.problems().isEmpty() ? "" : "; " + String.join("; ", r.problems()))));
        checks.add(new Check("no handler threw", r.handlerErrors() == 0,
                r.handlerErrors() + " handler errors" + (r.errors().isEmpty() ? "" : ", first: " + r.errors().getFirst())));
        return checks;
    }
}
