package org.lwktlab.lab.experiment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** The experiments on the class path, by name. */
public final class Experiments {
    private final Map<String, Experiment> byName = new LinkedHashMap<>();

    private Experiments(List<Experiment> list) {
        for (Experiment e : list) {
            Experiment prev = byName.putIfAbsent(e.name(), e);
            if (prev != null) {
                throw new IllegalStateException("two experiments are called '" + e.name() + "': "
                        + prev.getClass().getName() + " and " + e.getClass().getName());
            }
        }
    }

    /** Everything {@link ServiceLoader} finds, sorted by name. */
    public static Experiments load() {
        List<Experiment> list = new ArrayList<>();
        ServiceLoader.load(Experiment.class).forEach(list::add);
        list.sort(Comparator.comparing(Experiment::name));
        return new Experiments(list);
    }

    /** A fixed set (tests). */
    public static Experiments of(Experiment... es) {
        return new Experiments(List.of(es));
    }

    public List<Experiment> all() {
        return List.copyOf(byName.values());
    }

    /**
     * @throws IllegalArgumentException naming the valid experiments
     */
    public Experiment get(String name) {
        Experiment e = byName.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown experiment '" + name + "'; valid experiments: "
                    + String.join(", ", byName.keySet()));
        }
        return e;
    }
}
