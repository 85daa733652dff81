package org.lwktlab.lab.run;

import java.util.Locale;

/** Human-readable numbers for tables and progress lines. */
public final class Format {
    private Format() {}

    /** {@code 1.23 M}, {@code 456 k}, {@code 12.0}. */
    public static String rate(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (v >= 1e9) {
            return String.format(Locale.ROOT, "%.2f G", v / 1e9);
        }
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.1f k", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** {@code 812 ns}, {@code 2.1 µs}, {@code 3.4 ms}. */
    public static String nanos(double ns) {
        if (Double.isNaN(ns)) {
            return "-";
        }
        if (ns >= 1e9) {
            return String.format(Locale.ROOT, "%.2f s", ns / 1e9);
        }
        if (ns >= 1e6) {
            return String.format(Locale.ROOT, "%.2f ms", ns / 1e6);
        }
        if (ns >= 1e3) {
            return String.format(Locale.ROOT, "%.1f us", ns / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f ns", ns);
    }

    /** {@code 3.25}, or {@code -}. */
    public static String number(Double v) {
        return v == null || Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    /** {@code 97.5%}, or {@code -}. */
    public static String percent(Double v) {
        return v == null || Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", v * 100);
    }
}
