/**
 * Exporting probes: {@link org.lwktlab.metrics.export.MetricsServer} serves {@code /metrics} in the
 * Prometheus text format from Micrometer's {@code PrometheusMeterRegistry} (on the
 * {@code io.prometheus:prometheus-metrics} 1.x client); a {@link org.lwktlab.metrics.export.ProbeBinding}
 * per probe registry turns its counters, gauges and high-water marks into Micrometer meters, and its
 * distributions into Prometheus histograms and summaries in the same registry.
 *
 * <p><b>Threads.</b> Exporting never touches a CPU: it reads counters the CPUs publish with release
 * stores, and the sampler's state under the sampler's lock. Every scrape, binding, freeze and close holds
 * the server's one lock, so a registry is never read after it was frozen, and may then be unmapped. The
 * probe package does not depend on this one: the hot path never links against Micrometer.
 */
package org.lwktlab.metrics.export;
