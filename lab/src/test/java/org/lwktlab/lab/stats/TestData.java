package org.lwktlab.lab.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lwktlab.lab.experiment.Check;
import org.lwktlab.lab.run.MachineInfo;
import org.lwktlab.lab.run.RunResults;
import org.lwktlab.lab.run.Summaries;
import org.lwktlab.lab.run.TrialRecord;
import org.lwktlab.metrics.sample.Timeline;

/** Hand-made results with known throughputs, for the statistics tests. */
final class TestData {
    private TestData() {}

    static TrialRecord trial(String design, int trial, double opsPerSec) {
        return new TrialRecord(design, 2, trial, trial, false, (long) opsPerSec, 1.0, opsPerSec,
                new TrialRecord.Latency(10, 1000, 1000, 1000, 1000, 1000, 1000), Map.of(), Map.of(), Map.of(),
                List.of(new Check("ok", true, "")), Map.of(), Timeline.empty(), null, null);
    }

    static RunResults twoDesigns(double[] a, double[] b) {
        List<TrialRecord> runs = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            runs.add(trial("a", i + 1, a[i]));
            runs.add(trial("b", i + 1, b[i]));
        }
        return new RunResults(RunResults.SCHEMA_VERSION, "x", "q", true, null, "s", "f", "cmd",
                new MachineInfo(2, null, "25", "vm", "os", false, false, false, 0.2),
                new RunResults.Config(List.of("a", "b"), List.of(2), 0, 1, a.length, 1, "closed", List.of(), "auto",
                        Map.of(), Map.of()), runs, Summaries.of(runs), List.of());
    }
}
