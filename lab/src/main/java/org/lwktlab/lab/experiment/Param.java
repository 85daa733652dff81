package org.lwktlab.lab.experiment;

import java.util.Objects;

/**
 * An experiment's own setting, set with {@code --set name=value}.
 *
 * @param name         the key
 * @param defaultValue the value when not set
 * @param description  one line for {@code bin/lab list}
 */
public record Param(String name, String defaultValue, String description) {
    public Param {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(description, "description");
    }
}
