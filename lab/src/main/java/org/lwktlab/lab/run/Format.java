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

    /** A compact count for labels and file names: {@code 200k}, {@code 1.5M}, {@code 750}. */
    public static String si(double v) {
        if (v >= 1e9) {
            return number(round3(v / 1e9)) + "G";
        }
        if (v >= 1e6) {
            return number(round3(v / 1e6)) + "M";
        }
        if (v >= 1e3) {
            return number(round3(v / 1e3)) + "k";
        }
        return number(round3(v));
    }

    private static double round3(double v) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.3g", v));
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

    /** A latency for an axis: {@code 100 ns}, {@code 1 us}, {@code 2.5 ms} (no trailing zeros). */
    public static String nanosShort(double ns) {
        if (ns >= 1e9) {
            return number(ns / 1e9) + " s";
        }
        if (ns >= 1e6) {
            return number(ns / 1e6) + " ms";
        }
        if (ns >= 1e3) {
            return number(ns / 1e3) + " us";
        }
        return number(ns) + " ns";
    }

    /** {@code 3.25}, or {@code -}. */
    public static String number(Double v) {
        return v == null || Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    /** {@code 3.25} or {@code 200000}: a number without a trailing {@code .0}. */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "-";
        }
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", v)).stripTrailingZeros().toPlainString();
    }

    /**
     * A duration as a person writes it: {@code 500ms}, {@code 2s}, {@code -1s}, {@code 1.5s},
     * {@code 250us} — never {@code PT-1S}.
     */
    public static String duration(java.time.Duration d) {
        long n = d.toNanos();
        long a = Math.abs(n);
        String sign = n < 0 ? "-" : "";
        if (a == 0) {
            return "0s";
        }
        if (a % 60_000_000_000L == 0 && a >= 120_000_000_000L) {
            return sign + a / 60_000_000_000L + "m";
        }
        if (a % 1_000_000_000L == 0) {
            return sign + a / 1_000_000_000L + "s";
        }
        if (a >= 1_000_000_000L) {
            return sign + number(a / 1e9) + "s";
        }
        if (a % 1_000_000L == 0) {
            return sign + a / 1_000_000L + "ms";
        }
        if (a >= 1_000_000L) {
            return sign + number(a / 1e6) + "ms";
        }
        return sign + number(a / 1e3) + "us";
    }

    /** {@code 97.5%}, or {@code -}. */
    public static String percent(Double v) {
        return v == null || Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", v * 100);
    }
}
