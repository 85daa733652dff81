package org.lwktlab.lab.run;

import java.io.PrintStream;
import java.util.List;

/** Progress as plain lines, one when a trial starts and one when it ends: for logs and pipes. */
public final class PlainLines implements RunListener {
    private final PrintStream out;
    private String name = "";
    private int total;

    public PlainLines(PrintStream out) {
        this.out = out;
    }

    @Override
    public void started(RunSpec spec, List<RunSpec.Slot> plan, long trialNanos) {
        name = spec.experiment().name();
        total = plan.size();
        out.println(name + ": " + total + " trials of " + Format.duration(spec.warmup()) + " warm-up + "
                + Format.duration(spec.duration()) + " measured, " + (spec.openLoop()
                ? "open loop at " + String.join(", ", spec.rates().stream().map(r -> Format.si(r) + "/s").toList())
                : "closed loop"));
        out.flush();
    }

    private String label(int order, RunSpec.Slot s) {
        return "[" + order + "/" + total + "] " + name + " " + s.label();
    }

    @Override
    public void trialStarted(int order, RunSpec.Slot slot) {
        out.println(label(order, slot) + " ...");
        out.flush();
    }

    @Override
    public void trialFinished(int order, RunSpec.Slot slot, TrialRecord r) {
        out.println(label(order, slot) + ": " + resultLine(r));
        out.flush();
    }

    /** {@code 2.91 M ops/s, p50 571 ns, p99 3.1 us} (and a failed-check mark). */
    public static String resultLine(TrialRecord r) {
        return Format.rate(r.opsPerSec()) + " ops/s, p50 " + Format.nanos(r.latencyNs().p50()) + ", p99 "
                + Format.nanos(r.latencyNs().p99()) + (r.ok() ? "" : "  CHECK FAILED");
    }

    @Override
    public void trialFailed(int order, RunSpec.Slot slot, Exception error) {
        out.println(label(order, slot) + " FAILED: " + error);
        out.flush();
    }

    @Override
    public void note(String line) {
        out.println("note: " + line);
        out.flush();
    }

    @Override
    public void interrupted(int order, RunSpec.Slot slot) {
        out.println(label(order, slot) + " interrupted: stopped cleanly, partial trial discarded");
        out.flush();
    }
}
