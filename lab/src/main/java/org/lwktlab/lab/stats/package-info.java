/**
 * Fair comparisons: the ratio of a metric between two designs (or two runs) with a 95% confidence
 * interval over trials, and a verdict only where the interval excludes 1. Pure functions over recorded
 * results; no threads, no state.
 *
 * <p>Method (also in docs/results-schema.md): ratios are estimated on the log scale, where they are
 * differences. Within one run the trials of two designs are <em>paired</em> by trial number — the runner
 * interleaves designs trial by trial, so trial t of each design ran minutes apart at most and share the
 * machine's drift — and the interval is Student's t on the per-trial log-ratios. Between two runs
 * nothing pairs the trials, and the interval is Welch's t on the two samples of logs. Both are
 * exponentiated back, so the interval of a ratio is asymmetric and never crosses 0.
 */
package org.lwktlab.lab.stats;
