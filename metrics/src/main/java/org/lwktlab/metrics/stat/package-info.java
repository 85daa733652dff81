/**
 * Attaching to a running experiment from another process: the {@link
 * org.lwktlab.metrics.stat.CountersDirectory} where runs keep their memory-mapped counters files, the
 * parsing of counter labels, and {@link org.lwktlab.metrics.stat.Stat}, the {@code bin/lab stat} loop.
 *
 * <p><b>Threads and processes.</b> The run writes the file (its CPUs the counters, its sampler the
 * mirrors and trailing maxima); a reader here only reads it, on one thread, and never writes, so it
 * cannot disturb the run. A file whose writer died is stale and skipped; the next run deletes it.
 */
package org.lwktlab.metrics.stat;
