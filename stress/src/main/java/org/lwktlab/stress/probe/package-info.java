/**
 * Probes read by the exporter while their owner writes them (metrics.probe): a single-writer counter
 * is never seen going backwards, and a {@code HighWaterMark} never loses a spike between two reads.
 *
 * <p>Each test makes its own small in-memory {@code ProbeRegistry}, so the counters start at zero and
 * the outcomes can be listed exactly. The writer actor is the instrument's owner; the reader actor is
 * the exporter.
 */
package org.lwktlab.stress.probe;
