package org.lwktlab.lab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lwktlab.lab.run.Summaries;
import org.lwktlab.lab.run.TrialRecord;

/**
 * "Cost per operation, amortised": for each design, CPU count and load, the median over its passing
 * trials of what one operation cost in hand-offs and synchronisation — the table that says <em>why</em>
 * one design won. Every figure is a counter's increase over the measured window divided by the
 * operations in that window.
 */
final class CostTable {
    /**
     * A column: its header, a definition for the page, and the counters it sums (the cell is blank for a
     * design that has none of them, e.g. lock columns of a message design).
     */
    record Column(String header, String definition, boolean nanos, List<String> counters) {}

    static final List<Column> COLUMNS = List.of(
            new Column("queue ops", "enqueues at every hand-off point: port queues, IPI rings, submission queues", false,
                    List.of("lwkt_port_enqueued_total", "lwkt_ipi_sent_total", "lwkt_submission_enqueued_total")),
            new Column("IPIs", "IPIs sent (active and passive) between CPUs", false, List.of("lwkt_ipi_sent_total")),
            new Column("wake-ups", "wake-ups sent to an idle CPU (an unpark)", false, List.of("lwkt_ipi_wakeups_total")),
            new Column("wake-ups skipped", "wake-ups not needed because the target CPU was awake", false,
                    List.of("lwkt_ipi_wakeups_skipped_total")),
            new Column("sync ops", "cross-thread synchronisation: IPI ring and submission-queue enqueues (release"
                    + " stores / CAS), wake-ups, token and lock acquisitions. Port enqueues on the owning CPU are plain"
                    + " stores and do not count", false,
                    List.of("lwkt_ipi_sent_total", "lwkt_submission_enqueued_total", "lwkt_ipi_wakeups_total",
                            "lwkt_token_acquisitions_total", "lwkt_lock_acquisitions_total")),
            new Column("lock acq.", "lock acquisitions (mutex designs)", false, List.of("lwkt_lock_acquisitions_total")),
            new Column("contended", "lock acquisitions that found the lock held", false,
                    List.of("lwkt_lock_contended_total")),
            new Column("lock wait", "time spent waiting for locks, per operation", true,
                    List.of("lwkt_lock_wait_seconds_total")),
            new Column("token acq.", "LWKT token acquisitions", false, List.of("lwkt_token_acquisitions_total")),
            new Column("token coll.", "token acquisitions that found the token held elsewhere", false,
                    List.of("lwkt_token_collisions_total")));

    /**
     * One row.
     *
     * @param cells per column, the median per-operation cost, or null where the design has no such counter
     */
    record Row(TrialRecord.GroupKey group, int trials, List<Double> cells) {}

    static List<Row> rows(List<TrialRecord> runs) {
        List<Row> rows = new ArrayList<>();
        Map<TrialRecord.GroupKey, List<TrialRecord>> groups = new LinkedHashMap<>(Summaries.groups(runs));
        groups.forEach((k, all) -> {
            List<TrialRecord> g = all.stream().filter(TrialRecord::ok).filter(t -> t.ops() > 0).toList();
            if (g.isEmpty()) {
                return;
            }
            List<Double> cells = new ArrayList<>();
            for (Column c : COLUMNS) {
                double[] v = g.stream().map(t -> perOp(t, c)).filter(x -> x != null).mapToDouble(Double::doubleValue)
                        .toArray();
                cells.add(v.length == 0 ? null : Summaries.median(v));
            }
            rows.add(new Row(k, g.size(), cells));
        });
        return rows;
    }

    /** The column's counters summed over the window, per operation; null if the trial has none of them. */
    static Double perOp(TrialRecord t, Column c) {
        boolean any = false;
        long sum = 0;
        for (String name : c.counters()) {
            Long v = t.counters().get(name);
            if (v != null) {
                any = true;
                sum += v;
            }
        }
        return any ? (double) sum / t.ops() : null;
    }
}
