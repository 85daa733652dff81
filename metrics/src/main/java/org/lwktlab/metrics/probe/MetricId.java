package org.lwktlab.metrics.probe;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The identity of one series: a Prometheus metric name, its help text and its labels.
 *
 * @param name   metric name following Prometheus conventions ({@code lwkt_} prefix, {@code _total} for
 *               counters, base units such as {@code _seconds})
 * @param help   one line saying what the series counts
 * @param labels the series' labels
 */
public record MetricId(String name, String help, Labels labels) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    public MetricId {
        Objects.requireNonNull(name, "metric name");
        Objects.requireNonNull(help, "metric help");
        Objects.requireNonNull(labels, "metric labels");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad metric name '" + name + "': must match " + NAME.pattern());
        }
        if (help.isBlank()) {
            throw new IllegalArgumentException("metric '" + name + "' needs a help text");
        }
    }

    /** {@code name{labels}}, the key a series is registered and looked up under. */
    public String key() {
        return name + labels;
    }

    @Override
    public String toString() {
        return key();
    }
}
