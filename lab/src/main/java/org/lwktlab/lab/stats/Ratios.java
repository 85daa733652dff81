package org.lwktlab.lab.stats;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * Confidence intervals for the ratio of two positive quantities measured over repeated trials. The t
 * quantile comes from Apache Commons Math rather than a table, so any number of trials (and Welch's
 * fractional degrees of freedom) get the exact value.
 */
public final class Ratios {
    /** Method name of {@link #paired}. */
    public static final String PAIRED = "paired t on log-ratios";
    /** Method name of {@link #welch}. */
    public static final String WELCH = "Welch t on logs";
    /** The confidence level every interval in the lab uses. */
    public static final double CONFIDENCE = 0.95;

    private Ratios() {}

    /**
     * {@code a[i] / b[i]} over pairs {@code i}: the geometric mean of the ratios, with Student's t
     * interval of the mean log-ratio ({@code n − 1} degrees of freedom).
     *
     * @throws IllegalArgumentException if the lengths differ, there is no pair, or a value is not positive
     */
    public static RatioEstimate paired(double[] a, double[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("paired ratios need equal, non-empty samples; got " + a.length + " and " + b.length);
        }
        int n = a.length;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = Math.log(positive(a[i])) - Math.log(positive(b[i]));
        }
        double mean = mean(d);
        if (n < 2) {
            return new RatioEstimate(Math.exp(mean), Double.NaN, Double.NaN, n, PAIRED);
        }
        double half = tQuantile(n - 1) * Math.sqrt(variance(d, mean) / n);
        return new RatioEstimate(Math.exp(mean), Math.exp(mean - half), Math.exp(mean + half), n, PAIRED);
    }

    /**
     * {@code a / b} for unpaired samples: the ratio of geometric means, with Welch's t interval of the
     * difference of mean logs (Welch–Satterthwaite degrees of freedom). Needs two values a side for an
     * interval.
     */
    public static RatioEstimate welch(double[] a, double[] b) {
        if (a.length == 0 || b.length == 0) {
            throw new IllegalArgumentException("unpaired ratios need non-empty samples; got " + a.length + " and " + b.length);
        }
        double[] la = logs(a);
        double[] lb = logs(b);
        double ma = mean(la);
        double mb = mean(lb);
        double diff = ma - mb;
        int n = Math.min(a.length, b.length);
        if (n < 2) {
            return new RatioEstimate(Math.exp(diff), Double.NaN, Double.NaN, n, WELCH);
        }
        double va = variance(la, ma) / la.length;
        double vb = variance(lb, mb) / lb.length;
        double se = Math.sqrt(va + vb);
        if (se == 0) { // identical values on both sides: the interval is the point
            return new RatioEstimate(Math.exp(diff), Math.exp(diff), Math.exp(diff), n, WELCH);
        }
        double df = (va + vb) * (va + vb)
                / (va * va / (la.length - 1) + vb * vb / (lb.length - 1));
        double half = tQuantile(df) * se;
        return new RatioEstimate(Math.exp(diff), Math.exp(diff - half), Math.exp(diff + half), n, WELCH);
    }

    /** The two-sided {@link #CONFIDENCE} quantile of Student's t with {@code df} degrees of freedom. */
    public static double tQuantile(double df) {
        return new TDistribution(null, df).inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);
    }

    private static double positive(double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("ratios need positive, finite values; got " + v);
        }
        return v;
    }

    private static double[] logs(double[] v) {
        double[] l = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            l[i] = Math.log(positive(v[i]));
        }
        return l;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Sample variance (n − 1). */
    private static double variance(double[] v, double mean) {
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return s / (v.length - 1);
    }
}
