package org.lwktlab.lab.cli;

import java.util.Locale;
import picocli.CommandLine;

/** Parses an offered load: {@code 50000}, {@code 200k}, {@code 1.5M} operations per second. */
public final class RateConverter implements CommandLine.ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        double scale = 1;
        if (v.endsWith("k")) {
            scale = 1e3;
        } else if (v.endsWith("m")) {
            scale = 1e6;
        } else if (v.endsWith("g")) {
            scale = 1e9;
        }
        String num = scale == 1 ? v : v.substring(0, v.length() - 1);
        try {
            double d = Double.parseDouble(num) * scale;
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value
                    + "' is not a rate in operations per second (e.g. 50000, 200k, 1.5M)");
        }
    }
}
