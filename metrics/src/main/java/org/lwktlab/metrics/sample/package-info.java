/**
 * Sampling of a probe registry over time: the {@link org.lwktlab.metrics.sample.ProbeSampler} thread
 * (one per registry) that samples depth gauges into distributions, is the single reader of every
 * high-water mark, and keeps a bounded {@link org.lwktlab.metrics.sample.Timeline} of queue depth.
 *
 * <p><b>Threads.</b> The sampler ticks on its own daemon thread; its public methods may be called from
 * any thread and are serialised with the ticks by the sampler's lock. Nothing here runs on a CPU's hot
 * path, so this package may lock and allocate. It depends on the probe package only, never on an
 * exporter, so the runner can sample without serving.
 */
package org.lwktlab.metrics.sample;
