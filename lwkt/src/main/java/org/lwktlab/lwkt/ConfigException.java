package org.lwktlab.lwkt;

/** A bad kernel setting, named in the message ({@code cpus must be between 1 and 64, got 0}). */
public final class ConfigException extends IllegalArgumentException {
    private final String setting;

    /** A problem with {@code setting}, e.g. {@code ("cpus", "must be between 1 and 64, got 0")}. */
    public ConfigException(String setting, String problem) {
        super(setting + " " + problem);
        this.setting = setting;
    }

    /** The setting at fault, as {@code --set} names it. */
    public String setting() {
        return setting;
    }
}
