package org.lwktlab.lab.stats;

import java.util.Locale;

/**
 * A ratio {@code a / b} and its confidence interval.
 *
 * @param ratio  point estimate: the geometric mean of the per-trial ratios (paired), or the ratio of the
 *               geometric means (unpaired)
 * @param low    lower end of the interval, NaN when it cannot be computed (fewer than two trials a side)
 * @param high   upper end, NaN likewise
 * @param n      trials used: pairs (paired), or the smaller side (unpaired)
 * @param method how the interval was computed ({@link Ratios#PAIRED}, {@link Ratios#WELCH})
 */
public record RatioEstimate(double ratio, double low, double high, int n, String method) {
    /** True when there is an interval. */
    public boolean hasInterval() {
        return !Double.isNaN(low) && !Double.isNaN(high);
    }

    /** True when the interval lies wholly above or wholly below 1: the difference is real at this level. */
    public boolean excludesOne() {
        return hasInterval() && (low > 1 || high < 1);
    }

    /** {@code 1.84× [1.61, 2.10]}, or {@code 1.84× (no interval: 1 trial)}. */
    public String describe() {
        String r = String.format(Locale.ROOT, "%.3g×", ratio);
        return hasInterval() ? r + String.format(Locale.ROOT, " [%.3g, %.3g]", low, high)
                : r + " (no interval: " + n + " trial" + (n == 1 ? "" : "s") + ")";
    }
}
