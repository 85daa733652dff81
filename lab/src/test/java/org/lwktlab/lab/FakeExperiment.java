package org.lwktlab.lab;

import java.util.List;
import java.util.function.Function;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.experiment.Trial;
import org.lwktlab.lab.experiment.Workload;

/** An experiment made up by a test: a name, designs, whether it paces, and how to build a workload. */
public record FakeExperiment(String name, List<String> designs, boolean supportsOpenLoop,
                             Function<Trial, Workload> workload) implements Experiment {
    @Override
    public String question() {
        return "What does the test want to see?";
    }

    @Override
    public Workload prepare(Trial trial) {
        return workload.apply(trial);
    }
}
