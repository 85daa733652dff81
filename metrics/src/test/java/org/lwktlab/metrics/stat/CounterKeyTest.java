package org.lwktlab.metrics.stat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lwktlab.metrics.probe.Labels;
import org.lwktlab.metrics.probe.MetricId;

class CounterKeyTest {
    @Test
    void parsesWhatMetricIdWrites() {
        MetricId id = new MetricId("lwkt_port_depth_max", "h", Labels.of("cpu", "3", "port", "a \"q\" \\ b\nc"));
        CounterKey k = CounterKey.parse(id.key());
        assertEquals("lwkt_port_depth_max", k.name());
        assertEquals(Map.of("cpu", "3", "port", "a \"q\" \\ b\nc"), k.labels());
        assertEquals(new CounterKey("lwkt_x_total", Map.of()), CounterKey.parse("lwkt_x_total"));
    }

    @Test
    void rejectsCutOrForeignLabels() {
        assertNull(CounterKey.parse("lwkt_port_depth_max{cpu=\"3\",port=\"abc"), "cut at Agrona's label limit");
        assertNull(CounterKey.parse("{cpu=\"3\"}"));
        assertNull(CounterKey.parse("name{cpu}"));
        assertNull(CounterKey.parse(""));
    }
}
