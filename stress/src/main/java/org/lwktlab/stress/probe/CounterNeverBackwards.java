package org.lwktlab.stress.probe;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.agrona.concurrent.status.AtomicCounter;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.ProbeRegistry;
import org.lwktlab.metrics.probe.ProbeSeries;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/**
 * A single-writer probe counter read by the exporter is never seen going backwards (DESIGN §4, the
 * probe SPI's contract).
 *
 * <p>The owner bumps the counter the two ways the hot paths do — {@code incrementRelease} and
 * {@code getAndAddRelease(2)} (plain read, release store: no atomic read-modify-write). The exporter
 * reads it three times through the path the exporters use ({@link ProbeSeries.Counter#value()}, then
 * the raw {@code CountersReader}, then {@code value()} again). Result: the three reads.
 *
 * <ul>
 *   <li>Acceptable: any non-decreasing triple of 0, 1, 3.</li>
 *   <li>Interesting: a triple that saw the counter move while it was reading.</li>
 *   <li>Forbidden: a later read smaller than an earlier one, or a value the owner never wrote (2, or
 *       a torn long).</li>
 * </ul>
 */
@JCStressTest
@Outcome(id = {"0, 0, 0", "1, 1, 1", "3, 3, 3"}, expect = ACCEPTABLE, desc = "The reads saw one settled value.")
@Outcome(id = {"0, 0, 1", "0, 0, 3", "0, 1, 1", "0, 1, 3", "0, 3, 3", "1, 1, 3", "1, 3, 3"},
        expect = ACCEPTABLE_INTERESTING, desc = "The counter moved forward between the exporter's reads.")
@Outcome(expect = FORBIDDEN, desc = "The exporter saw the counter go backwards, or a value never written.")
@State
public class CounterNeverBackwards {
    private final ProbeRegistry registry = ProbeRegistry.inMemory(64, Labels.empty());
    private final AtomicCounter counter = registry.counter("lwkt_stress_total", "stress", Labels.empty());
    private final ProbeSeries.Counter series = (ProbeSeries.Counter) registry.series().getFirst();

    @Actor
    public void owner() {
        counter.incrementRelease();
        counter.getAndAddRelease(2);
    }

    @Actor
    public void exporter(JJJ_Result r) {
        r.r1 = series.value();
        r.r2 = registry.countersReader().getCounterValue(counter.id());
        r.r3 = series.value();
    }
}
