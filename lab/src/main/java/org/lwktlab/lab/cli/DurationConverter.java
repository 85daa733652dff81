package org.lwktlab.lab.cli;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/** Parses {@code 500ms}, {@code 5s}, {@code 2m}, or a plain number of seconds ({@code 1.5}). */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            double n;
            long unitNanos;
            if (v.endsWith("ms")) {
                n = Double.parseDouble(v.substring(0, v.length() - 2));
                unitNanos = 1_000_000L;
            } else if (v.endsWith("s")) {
                n = Double.parseDouble(v.substring(0, v.length() - 1));
                unitNanos = 1_000_000_000L;
            } else if (v.endsWith("m")) {
                n = Double.parseDouble(v.substring(0, v.length() - 1));
                unitNanos = 60_000_000_000L;
            } else {
                n = Double.parseDouble(v);
                unitNanos = 1_000_000_000L;
            }
            if (Double.isNaN(n) || Double.isInfinite(n)) {
                throw new NumberFormatException();
            }
            return Duration.ofNanos((long) (n * unitNanos));
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 5s, 2m)");
        }
    }
}
