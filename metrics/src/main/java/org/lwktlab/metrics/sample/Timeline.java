package org.lwktlab.metrics.sample;

import java.util.List;
import java.util.Map;

/**
 * Queue depth over time, as the {@link ProbeSampler} saw it: the data behind a "depth over time" plot,
 * small enough for {@code results.json}. Column form: one time axis, one value list per series, each
 * list as long as the axis.
 *
 * <p>The last point may cover fewer ticks than the others: it is the step still being filled, shown so
 * that a spike of the last moments is not missing. A series registered after the first point (a port
 * created later) has {@code null} where it did not exist yet.
 *
 * @param intervalS seconds between two points (grows when the sampler thins a long timeline)
 * @param tS        time of each point, seconds from the origin the timeline was read against (negative
 *                  before it: the runner's origin is the start of the measured window)
 * @param depth     depth gauge value at each point, by {@link SeriesKey short key}
 * @param hwm       each high-water mark's largest value since the previous point, by short key: the
 *                  spikes that fell between two depth samples
 */
public record Timeline(double intervalS, List<Double> tS, Map<String, List<Long>> depth,
                       Map<String, List<Long>> hwm) {

    /** A timeline with no points. */
    public static Timeline empty() {
        return new Timeline(0, List.of(), Map.of(), Map.of());
    }

    /** Number of points. */
    public int size() {
        return tS.size();
    }
}
