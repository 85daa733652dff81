package org.lwktlab.lwkt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LatencySamplerTest {
    /**
     * Sends {@code sends} messages {@code nanosApart} apart from time {@code t[0]}, numbering them from
     * {@code t[1]}; returns the samples taken.
     */
    private static int send(LatencySampler s, int sends, long nanosApart, long[] t) {
        int samples = 0;
        for (int i = 0; i < sends; i++) {
            t[0] += nanosApart;
            if (s.picks(t[1]++)) {
                s.sampled(t[0]);
                samples++;
            }
        }
        return samples;
    }

    @Test
    void aFixedPeriodSamplesExactlyOneInEvery() {
        LatencySampler s = new LatencySampler(64, 0);
        assertEquals(100, send(s, 6400, 1, new long[2]), "one in 64 however fast the sends come");
        assertEquals(64, s.period());
    }

    @Test
    void fastSendsStretchThePeriodUpToItsBoundAndSlowSendsBringItBack() {
        LatencySampler s = new LatencySampler(64, 50_000);
        long[] t = {0, 0};
        send(s, 1_000_000, 1, t); // even 64 * 64 sends are 4 µs: far closer than the 50 µs gap
        assertEquals(64 * LatencySampler.MAX_STRETCH, s.period(), "stretched to the bound, no further");
        send(s, 100_000, 10_000, t); // 10 µs a send: even one in 64 is 640 µs apart
        assertEquals(64, s.period(), "back to one in 64");
    }

    @Test
    void theStretchSettlesWhereSamplesAreAGapApart() {
        LatencySampler s = new LatencySampler(64, 50_000);
        long[] t = {0, 0};
        send(s, 2_000_000, 100, t);
        int p = s.period();
        send(s, 2_000_000, 200, t); // half the rate: samples 1 to 4 gaps apart stay where they are
        long apart = 200L * s.period();
        assertEquals(true, apart >= 50_000 && apart <= 4 * 50_000, "samples " + apart + " ns apart, period " + s.period()
                + " (was " + p + ")");
    }

    @Test
    void zeroSamplesNothingAndBadSettingsAreRefused() {
        LatencySampler off = new LatencySampler(0, 50_000);
        for (long seq = 0; seq < 1000; seq++) {
            assertFalse(off.picks(seq));
        }
        assertFalse(off.picks(Long.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> new LatencySampler(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new LatencySampler(100, 0), "not a power of two");
        assertThrows(IllegalArgumentException.class, () -> new LatencySampler(64, -1));
    }

    @Test
    void everySendIsPickedAtOneInOne() {
        LatencySampler all = new LatencySampler(1, 0);
        assertEquals(1000, send(all, 1000, 1, new long[2]));
    }

    @Test
    void theKernelSettingsAreValidatedByName() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> KernelConfig.builder(1).set("latency.sample-gap-us", "-3").build());
        assertEquals(true, e.getMessage().contains("latency.sample-gap-us"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> KernelConfig.builder(1).set("latency.sample-every", "100").build());
        assertEquals(true, e.getMessage().contains("latency.sample-every") && e.getMessage().contains("power of two"),
                e.getMessage());
    }
}
