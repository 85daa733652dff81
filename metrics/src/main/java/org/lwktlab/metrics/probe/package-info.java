/**
 * The probe SPI: cheap single-writer instruments written on the hot path and read by exporters.
 *
 * <p><b>What it owns.</b> A {@link org.lwktlab.metrics.probe.ProbeRegistry} per kernel, holding every
 * series a run exposes: counters (Agrona {@code AtomicCounter}s, one 128-byte padded slot each, so two
 * writers never share a cache line), function-backed counters and gauges that read state the mechanism
 * already keeps (a ring's producer index <em>is</em> its enqueue count, so it costs nothing to expose),
 * {@link org.lwktlab.metrics.probe.Log2Histogram log2 histograms} for coalescing (messages per drain),
 * {@link org.lwktlab.metrics.probe.HighWaterMark high-water marks} that keep queue-depth spikes between
 * two scrapes, and sampled {@link org.lwktlab.metrics.probe.LatencyProbe latency} recorders.
 *
 * <p><b>Who may call what.</b>
 * <ul>
 *   <li>Every writing method ({@code incrementRelease}, {@code record}, {@code tally}, {@code publish},
 *       {@code observe}) may be called only by the one thread that owns the instrument — the CPU that
 *       owns the queue or port. A histogram's {@code tally} stays in owner memory until the owner's
 *       {@code publish} (the CPUs' probe rollup, {@code Cpu.publishProbes}). No
 *       instrument uses a shared atomic read-modify-write on the write path (the latency recorder's
 *       phaser is the one exception, and it is only touched for sampled messages).</li>
 *   <li>Reading methods ({@code get}, {@code snapshot}, {@code readAndReset}) are for one exporter
 *       thread at a time; they never block a writer.</li>
 *   <li>Registration happens at boot or port creation, never per message.</li>
 * </ul>
 *
 * <p>This package must stay free of exporter types (Micrometer, Prometheus): the hot path never links
 * against them.
 */
package org.lwktlab.metrics.probe;
