package org.lwktlab.lab.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.lwktlab.lab.run.Comparison;
import org.lwktlab.lab.run.Format;

/** Prints comparisons as a console table. */
final class ComparisonTable {
    private ComparisonTable() {}

    static void print(List<Comparison> cs, PrintStream out) {
        if (cs.isEmpty()) {
            return;
        }
        Comparison first = cs.getFirst();
        out.println("Ratios A / B with 95% confidence intervals (" + first.method() + "); a verdict only where the"
                + " interval excludes 1:");
        boolean open = cs.stream().anyMatch(c -> c.rate() != null);
        int w = Math.max(12, cs.stream().mapToInt(c -> (c.a() + " / " + c.b()).length()).max().orElse(0));
        int mw = Math.max(14, cs.stream().mapToInt(c -> c.label().length()).max().orElse(0));
        String fmt = "%4s " + (open ? "%9s " : "%s") + "%-" + mw + "s %-" + w + "s %8s %17s  %s%n";
        out.printf(Locale.ROOT, fmt, "cpus", open ? "load" : "", "metric", "A / B", "ratio", "95% CI", "verdict");
        for (Comparison c : cs) {
            String verdict = c.verdict() == null ? (c.low() == null ? "no interval (1 trial)" : "no clear difference")
                    : (c.better() != null ? c.better() + " better: " : "") + c.verdict();
            out.printf(Locale.ROOT, fmt, c.cpus(), open ? (c.rate() == null ? "closed" : Format.si(c.rate()) + "/s") : "",
                    c.label(), c.a() + " / " + c.b(), String.format(Locale.ROOT, "%.3g×", c.ratio()),
                    c.low() == null ? "-" : String.format(Locale.ROOT, "%.3g – %.3g", c.low(), c.high()), verdict);
        }
    }
}
