package org.lwktlab.examples.kv;

import java.util.List;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.experiment.Param;
import org.lwktlab.lab.experiment.Trial;
import org.lwktlab.lab.experiment.Workload;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.lock.LockKind;

/**
 * The tutorial's experiment, {@code kv-store}: N client threads issue gets and puts to the store; the
 * {@code message} design shards it over N CPUs, the {@code mutex} design guards one map with a lock.
 */
public final class KvExperiment implements Experiment {
    @Override
    public String name() {
        return "kv-store";
    }

    @Override
    public String question() {
        return "A key-value store: shard it over CPU-owned threads and send each operation there, or guard one map with a lock?";
    }

    @Override
    public List<String> designs() {
        return List.of("message", "mutex");
    }

    @Override
    public List<Param> params() {
        return List.of(
                new Param("keys", "4096", "number of distinct keys"),
                new Param("reads", "90", "percent of operations that are gets"),
                new Param("lock", "reentrant", "mutex design's lock: " + String.join(", ", LockKind.ids())));
    }

    @Override
    public Workload prepare(Trial trial) {
        int keys = trial.intParam("keys", trial.cpus());
        int reads = trial.intParam("reads", 0);
        if (reads > 100) {
            throw new IllegalArgumentException("--set reads=" + reads + ": a percentage, 0..100");
        }
        KvStore store = switch (trial.design()) {
            case "message" -> new MessageKvStore(Kernel.boot(trial.kernel().build()));
            case "mutex" -> new MutexKvStore(LockKind.parse(trial.param("lock")), trial.probes());
            default -> throw new IllegalArgumentException("kv-store has no design '" + trial.design() + "'");
        };
        return new KvWorkload(trial, store, keys, reads);
    }
}
