package org.lwktlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lwktlab.lab.experiment.Experiments;
import org.lwktlab.lab.run.RunSpec;
import org.lwktlab.lwkt.KernelConfig;

class RunSpecTest {
    private static RunSpec spec(List<String> designs, List<Integer> cpus, int trials, Map<String, String> set) {
        return new RunSpec(Experiments.load().get("shared-update"), designs, cpus, Duration.ofSeconds(1),
                Duration.ofSeconds(1), trials, 0, 1, Path.of("x"), KernelConfig.Pin.AUTO, set, "test");
    }

    @Test
    void trialsInterleaveDesignsNeverAllOfOneThenTheOther() {
        List<RunSpec.Slot> plan = spec(List.of("message", "mutex"), List.of(1, 2), 2, Map.of()).plan();
        List<String> order = plan.stream().map(s -> s.design() + s.cpus() + "t" + s.trial()).toList();
        assertEquals(List.of("message1t1", "mutex1t1", "message2t1", "mutex2t1",
                "message1t2", "mutex1t2", "message2t2", "mutex2t2"), order);
    }

    @Test
    void badValuesAreRejectedNamingTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> spec(List.of("mesage"), List.of(2), 1, Map.of()));
        assertTrue(e.getMessage().contains("valid designs: message, mutex, token"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> spec(List.of("message"), List.of(0), 1, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> spec(List.of("message"), List.of(2), 0, Map.of()));
        e = assertThrows(IllegalArgumentException.class, () -> spec(List.of("message"), List.of(2), 1, Map.of("colour", "red")));
        assertTrue(e.getMessage().contains("lines") && e.getMessage().contains("ring.capacity"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> spec(List.of("message"), List.of(2), 1, Map.of("idle", "nap")));
        e = assertThrows(IllegalArgumentException.class,
                () -> Experiments.load().get("nope"));
        assertTrue(e.getMessage().contains("shared-update"), e.getMessage());
    }
}
