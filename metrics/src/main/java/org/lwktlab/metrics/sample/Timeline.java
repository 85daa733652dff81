package org.lwktlab.metrics.sample;

import java.util.List;
import java.util.Map;

/**
 * Queue depth over time, as the {@link ProbeSampler} saw it: the data behind a "depth over time" plot,
 * small enough for {@code results.json}.
 *
 * <p>The last point may cover fewer ticks than the others: it is the step still being filled, shown so
 * that a spike of the last moments is not missing.
 *
 * @param intervalS seconds between two points (grows when the sampler thins a long timeline)
 * @param points    the points, oldest first
 */
public record Timeline(double intervalS, List<Point> points) {

    /**
     * One moment.
     *
     * @param tS    seconds from the origin the timeline was read against (negative before it)
     * @param depth every depth gauge at that moment, by {@link SeriesKey short key}
     * @param hwm   every high-water mark's largest value since the previous point, by short key: the
     *              spikes that fell between two depth samples
     */
    public record Point(double tS, Map<String, Long> depth, Map<String, Long> hwm) {}
}
