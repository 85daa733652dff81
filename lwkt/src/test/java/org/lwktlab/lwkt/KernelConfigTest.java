package org.lwktlab.lwkt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KernelConfigTest {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "cpus|0|cpus",
        "cpus|65|cpus",
        "cpus|two|cpus",
        "ring.capacity|3|ring.capacity",
        "ring.capacity|1|ring.capacity",
        "submission.capacity|1000|submission.capacity",
        "submission.policy|drop|submission.policy",
        "idle|snooze|idle",
        "pin|maybe|pin",
        "probes|perhaps|probes",
        "probe.capacity|10|probe.capacity",
        "latency.sample-every|-1|latency.sample-every",
        "errors.keep|-5|errors.keep",
        "name|'  '|name",
    })
    void eachBadValueIsRejectedNamingTheSetting(String key, String value, String named) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> KernelConfig.builder(2).set(key, value).build());
        assertEquals(named, e.setting());
        assertTrue(e.getMessage().startsWith(named + " "), e.getMessage());
    }

    @Test
    void unknownSettingListsTheValidOnes() {
        ConfigException e = assertThrows(ConfigException.class, () -> KernelConfig.builder(2).set("cpu", "2"));
        assertTrue(e.getMessage().contains("valid settings") && e.getMessage().contains("ring.capacity"), e.getMessage());
    }

    @Test
    void pinOnWithMoreCpusThanCoresRefusesToBoot() {
        int cores = Runtime.getRuntime().availableProcessors();
        ConfigException e = assertThrows(ConfigException.class,
                () -> KernelConfig.builder(Math.min(64, cores + 1)).pin(KernelConfig.Pin.ON).build());
        assertEquals("pin", e.setting());
    }

    @Test
    void goodSettingsParse() {
        KernelConfig c = KernelConfig.builder(1).set("cpus", "4").set("ring.capacity", "8")
                .set("submission.policy", "fail").set("idle", "park:1ms").set("pin", "off").set("probes", "off").build();
        assertEquals(4, c.cpus());
        assertEquals(8, c.ringCapacity());
        assertEquals(org.lwktlab.ipi.SubmissionQueue.FullPolicy.FAIL, c.submissionPolicy());
        assertEquals(KernelConfig.Pin.OFF, c.pin());
        assertEquals(false, c.probes());
    }
}
