package org.lwktlab.lab.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.experiment.Experiments;
import org.lwktlab.lab.experiment.Param;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/lab list}: every experiment, its question, designs and defaults. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the experiments, the question each asks, designs and defaults.")
public final class ListCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Experiment e : Experiments.load().all()) {
            out.println(e.name());
            out.println("    " + e.question());
            out.println("    designs: " + String.join(", ", e.designs()) + "   (default: "
                    + String.join(",", e.defaultDesigns()) + ";  cpus: "
                    + e.defaultCpus().stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse("")
                    + (e.minCpus() > 1 ? ", at least " + e.minCpus() : "") + ")");
            for (Param p : e.params()) {
                out.println("    --set " + p.name() + "=" + p.defaultValue() + "   " + p.description());
            }
            out.println();
        }
        out.flush();
        return 0;
    }
}
