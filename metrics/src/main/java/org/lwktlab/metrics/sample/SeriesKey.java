package org.lwktlab.metrics.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.MetricId;

/**
 * The short key of a series in results: {@code name{labels}} without the registry's common labels
 * ({@code experiment}, {@code design}), which a trial record already states once. The same form is used
 * by the sampler's timeline and the runner's per-probe section, so the two can be joined.
 */
public final class SeriesKey {
    private SeriesKey() {}

    /** {@code id}'s key with every label of {@code common} that has the same value left out. */
    public static String of(MetricId id, Labels common) {
        return of(id.name(), id.labels(), common);
    }

    /** {@code name} plus {@code labels} less the ones {@code common} also carries with the same value. */
    public static String of(String name, Labels labels, Labels common) {
        return name + strip(labels, common);
    }

    /** {@code labels} less the ones {@code common} also carries with the same value. */
    public static Labels strip(Labels labels, Labels common) {
        if (common.isEmpty()) {
            return labels;
        }
        List<String> kv = new ArrayList<>();
        for (Map.Entry<String, String> e : labels.asMap().entrySet()) {
            if (!e.getValue().equals(common.get(e.getKey()))) {
                kv.add(e.getKey());
                kv.add(e.getValue());
            }
        }
        return Labels.of(kv.toArray(String[]::new));
    }
}
