package org.lwktlab.lab.experiment;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An experiment's own setting, set with {@code --set name=value}.
 *
 * <p>A typed setting ({@link #integer}, {@link #choice}) is checked by {@code bin/lab run} before the
 * first trial, so a bad value is reported in one line instead of failing trial 1; a {@link Kind#TEXT}
 * setting is checked only when the experiment reads it.
 *
 * @param name         the key
 * @param defaultValue the value when not set
 * @param description  one line for {@code bin/lab list}
 * @param kind         how values are checked
 * @param min          smallest value of an {@link Kind#INTEGER} setting
 * @param choices      the valid values of a {@link Kind#CHOICE} setting (lower case)
 */
public record Param(String name, String defaultValue, String description, Kind kind, long min, List<String> choices) {
    /** How a setting's values are checked. */
    public enum Kind { TEXT, INTEGER, CHOICE }

    public Param {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(kind, "kind");
        choices = List.copyOf(choices);
        if (kind == Kind.CHOICE && choices.isEmpty()) {
            throw new IllegalArgumentException("setting " + name + ": a choice needs at least one value");
        }
    }

    /** A setting checked only when the experiment reads it. */
    public Param(String name, String defaultValue, String description) {
        this(name, defaultValue, description, Kind.TEXT, 0, List.of());
    }

    /** An integer setting of at least {@code min}. */
    public static Param integer(String name, long defaultValue, long min, String description) {
        return new Param(name, Long.toString(defaultValue), description, Kind.INTEGER, min, List.of());
    }

    /** A setting that must be one of {@code choices}. */
    public static Param choice(String name, String defaultValue, List<String> choices, String description) {
        return new Param(name, defaultValue, description, Kind.CHOICE, 0, choices);
    }

    /**
     * What is wrong with {@code value} for this setting, as one line naming the valid values, or null when
     * it is valid (always null for {@link Kind#TEXT}).
     */
    public String problem(String value) {
        String v = value.trim();
        return switch (kind) {
            case TEXT -> null;
            case INTEGER -> {
                try {
                    long l = Long.parseLong(v);
                    yield l < min ? "--set " + name + "=" + value + ": must be an integer >= " + min : null;
                } catch (NumberFormatException e) {
                    yield "--set " + name + "=" + value + ": expected an integer >= " + min;
                }
            }
            case CHOICE -> choices.contains(v.toLowerCase(Locale.ROOT)) ? null
                    : "--set " + name + "=" + value + ": expected one of " + String.join(", ", choices);
        };
    }
}
