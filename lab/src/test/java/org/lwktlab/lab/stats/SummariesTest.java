package org.lwktlab.lab.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lwktlab.lab.experiment.Check;
import org.lwktlab.lab.run.RunResults;
import org.lwktlab.lab.run.Summaries;
import org.lwktlab.lab.run.TrialRecord;
import org.lwktlab.metrics.sample.Timeline;

/** Medians per group: a trial that completed nothing counts for throughput, not for latency. */
class SummariesTest {
    @Test
    void aTrialWithNoOperationsHasThroughputButNoLatency() {
        TrialRecord stalled = new TrialRecord("a", 2, 1, 1, false, 0, 1.0, 0.0,
                new TrialRecord.Latency(0, 0, 0, 0, 0, 0, 0), Map.of(), Map.of(), Map.of(),
                List.of(new Check("ok", true, "")), Map.of(), Timeline.empty(), null, null);
        List<TrialRecord> runs = List.of(stalled, TestData.trial("a", 2, 4000), TestData.trial("a", 3, 6000));
        RunResults.Summary s = Summaries.of(runs).getFirst();
        assertEquals(3, s.trials());
        assertEquals(4000, s.opsPerSec(), "throughput median over all three trials, the stalled one's 0 included");
        assertEquals(1000, s.latencyP50Ns(), "latency only from trials that timed an operation");
        assertEquals(1000, s.latencyP99Ns());
    }
}
