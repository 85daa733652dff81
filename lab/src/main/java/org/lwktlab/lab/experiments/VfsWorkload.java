package org.lwktlab.lab.experiments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.lwktlab.lab.experiment.Check;
import org.lwktlab.lab.experiment.Trial;
import org.lwktlab.lab.experiment.Workload;

/**
 * What the VFS experiments' workloads share: the rig, in-kernel clients that stop between operations,
 * the per-type window (opened after the warm-up, closed when stopping), and shutdown through the rig.
 */
abstract class VfsWorkload<C extends VfsLoadClient> implements Workload {
    final Trial trial;
    final VfsRig rig;
    final List<C> clients = new ArrayList<>();
    final AtomicInteger drained = new AtomicInteger();
    final OpWindow window;

    VfsWorkload(Trial t, VfsRig rig, String[] types, int nclients, String counterPrefix) {
        this.trial = t;
        this.rig = rig;
        this.window = new OpWindow(rig.kernel, types, nclients, t.probes(), counterPrefix);
    }

    @Override
    public void start() {
        window.openAfter(trial.warmup());
        for (C c : clients) {
            c.start();
        }
    }

    @Override
    public void stop() {
        window.close();
        for (C c : clients) {
            c.stop();
        }
        Waits.until(trial.experiment() + " clients to finish their operations in flight", Duration.ofSeconds(30),
                () -> drained.get() == clients.size());
    }

    /** Unexpected errors over all clients, as a check. */
    Check noUnexpectedErrors() {
        long unexpected = 0;
        String first = null;
        for (C c : clients) {
            unexpected += c.unexpected;
            if (first == null) {
                first = c.firstUnexpected;
            }
        }
        return new Check("no operation failed unexpectedly", unexpected == 0,
                unexpected + " unexpected errors" + (first == null ? "" : "; first: " + first));
    }

    @Override
    public List<Check> shutdown() {
        return rig.shutdown();
    }
}
