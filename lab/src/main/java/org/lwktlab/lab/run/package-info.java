/**
 * Running experiments and keeping their results: the validated request
 * ({@link org.lwktlab.lab.run.RunSpec}), the interleaved trial order, the runner that snapshots probes
 * around each measured window ({@link org.lwktlab.lab.run.Runner}), and {@code results.json}/CSV output
 * ({@link org.lwktlab.lab.run.ResultsWriter}). Single-threaded: the runner thread does it all.
 */
package org.lwktlab.lab.run;
