package org.lwktlab.stress.support;

import org.lwktlab.ipi.IpiFabric;
import org.lwktlab.ipi.SubmissionQueue;
import org.lwktlab.metrics.probe.ProbeSeries;

/**
 * Small {@link IpiFabric}s for one test instance each, and a reader for their probe counters. No CPU
 * threads are started: the test's actors play the CPUs.
 */
public final class Fabrics {
    private Fabrics() {}

    /** A fabric of {@code ncpus} CPUs with {@code ringCapacity}-entry rings, probes on. */
    public static IpiFabric of(int ncpus, int ringCapacity) {
        IpiFabric f = new IpiFabric(new IpiFabric.Config(ncpus, ringCapacity, 16, SubmissionQueue.FullPolicy.WAIT,
                null, true, false));
        f.onError(Rethrow.HANDLER);
        return f;
    }

    /**
     * The value of counter {@code name} with label {@code cpu}, as an exporter reads it (arbiter only:
     * it walks the registry).
     *
     * @throws IllegalArgumentException if the fabric has no such counter
     */
    public static long counter(IpiFabric f, String name, int cpu) {
        String c = Integer.toString(cpu);
        for (ProbeSeries s : f.probes().series()) {
            if (s instanceof ProbeSeries.Counter k && s.id().name().equals(name) && c.equals(s.id().labels().get("cpu"))) {
                return k.value();
            }
        }
        throw new IllegalArgumentException("the fabric has no counter " + name + "{cpu=\"" + cpu + "\"}");
    }
}
