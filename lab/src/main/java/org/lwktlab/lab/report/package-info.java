/**
 * The report: a self-contained {@code report.html} (inline CSS, plots embedded as PNG data URIs, no
 * script, no network) built from a {@code results.json} alone, so {@code bin/lab report DIR} rebuilds
 * exactly what the run wrote. Plots are drawn by XChart, headless. Single-threaded.
 */
package org.lwktlab.lab.report;
