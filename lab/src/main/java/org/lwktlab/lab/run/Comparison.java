package org.lwktlab.lab.run;

/**
 * The ratio of one metric between two sides (two designs of a run, or the same design in two runs) at one
 * CPU count and offered load, with its 95% confidence interval over trials.
 *
 * @param cpus    CPU count
 * @param rate    offered load (open loop), or null for closed loop
 * @param metric  metric key ({@code ops_per_sec}, {@code latency_p99_ns}, or a derived figure)
 * @param label   the metric for people ("throughput", "latency p99")
 * @param a       the numerator side
 * @param b       the denominator side
 * @param method  how the interval was computed
 * @param n       trials used (pairs, or the smaller side)
 * @param ratio   {@code a / b}, point estimate
 * @param low     lower end of the interval, or null without one (fewer than two trials)
 * @param high    upper end, or null
 * @param verdict set only when the interval excludes 1: which side is higher/lower and by how much
 * @param better  the side that is better, when the interval excludes 1 and the metric has a direction
 */
public record Comparison(int cpus, Double rate, String metric, String label, String a, String b, String method, int n,
                         double ratio, Double low, Double high, String verdict, String better) {}
