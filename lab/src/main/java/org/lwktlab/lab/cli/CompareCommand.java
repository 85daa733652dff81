package org.lwktlab.lab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.lwktlab.lab.run.Comparison;
import org.lwktlab.lab.run.RunResults;
import org.lwktlab.lab.stats.Comparisons;
import org.lwktlab.lab.stats.Metric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/lab compare DIR_A DIR_B}: two runs side by side — the ratio A / B of each metric with a 95%
 * confidence interval (Welch's t on log values: trials of different runs do not pair), and a verdict
 * only where the interval excludes 1.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare two runs: ratio A/B of each metric with a 95%% confidence interval.")
public final class CompareCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR_A", description = "First results folder.")
    Path a;

    @Parameters(index = "1", paramLabel = "DIR_B", description = "Second results folder.")
    Path b;

    @Option(names = "--all", description = "Also compare the derived figures (messages per drain, IPIs per op, ...).")
    boolean all;

    @Override
    public Integer call() {
        RunResults ra = ReportCommand.load(a);
        RunResults rb = ReportCommand.load(b);
        System.out.println("A: " + a + "  (" + describe(ra) + ")");
        System.out.println("B: " + b + "  (" + describe(rb) + ")");
        if (!ra.experiment().equals(rb.experiment())) {
            System.out.println("note: different experiments (" + ra.experiment() + " vs " + rb.experiment()
                    + "): the ratios compare different workloads");
        }
        if (!Objects.equals(ra.config().params(), rb.config().params())
                || !Objects.equals(ra.config().kernel(), rb.config().kernel())) {
            System.out.println("settings differ: A " + ra.config().params() + ra.config().kernel() + ", B "
                    + rb.config().params() + rb.config().kernel());
        }
        List<Comparison> cs = Comparisons.between(ra, rb);
        if (!all) {
            cs = Comparisons.select(cs, Metric.HEADLINE);
        }
        if (cs.isEmpty()) {
            throw new BadInputException("nothing to compare: the runs share no CPU count and load with passing trials"
                    + " (A: cpus " + ra.config().cpus() + ", B: cpus " + rb.config().cpus() + ")");
        }
        System.out.println();
        ComparisonTable.print(cs, System.out);
        return 0;
    }

    private static String describe(RunResults r) {
        return r.experiment() + ", designs " + String.join(",", r.config().designs()) + ", cpus " + r.config().cpus()
                + ", " + r.runs().size() + " trials, " + r.config().load() + " loop" + (r.complete() ? "" : ", INCOMPLETE");
    }
}
