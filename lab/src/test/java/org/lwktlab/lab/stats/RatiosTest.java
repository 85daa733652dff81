package org.lwktlab.lab.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The intervals against values computed independently with SciPy 1.17 ({@code scipy.stats.ttest_rel}
 * and {@code ttest_ind(equal_var=False)} on the logs, {@code confidence_interval(0.95)}, exponentiated).
 */
class RatiosTest {
    private static final double EPS = 1e-9;

    @Test
    void pairedMatchesScipy() {
        RatioEstimate e = Ratios.paired(new double[] {10.2, 11.5, 9.8, 12.1, 10.9}, new double[] {5.1, 6.3, 5.0, 5.9, 5.6});
        assertEquals(1.9550732676459253, e.ratio(), EPS);
        assertEquals(1.8524711839450845, e.low(), EPS);
        assertEquals(2.0633581320944456, e.high(), EPS);
        assertEquals(5, e.n());
        assertTrue(e.excludesOne());
    }

    @Test
    void pairedIntervalThatStraddlesOneGivesNoVerdict() {
        RatioEstimate e = Ratios.paired(new double[] {100, 95, 104}, new double[] {98, 101, 99});
        assertEquals(1.002747143530144, e.ratio(), EPS);
        assertEquals(0.8697324630742306, e.low(), EPS);
        assertEquals(1.1561047523783698, e.high(), EPS);
        assertFalse(e.excludesOne());
    }

    @Test
    void welchMatchesScipy() {
        RatioEstimate e = Ratios.welch(new double[] {3.1e6, 2.9e6, 3.3e6, 3.0e6}, new double[] {1.2e6, 1.5e6, 1.1e6});
        assertEquals(2.4460218084022203, e.ratio(), EPS);
        assertEquals(1.7069434805084747, e.low(), EPS);
        assertEquals(3.505108842500754, e.high(), EPS);
        assertTrue(e.excludesOne());
    }

    @Test
    void tQuantilesAreExact() {
        assertEquals(12.706204736174694, Ratios.tQuantile(1), 1e-9);
        assertEquals(2.7764451051977934, Ratios.tQuantile(4), 1e-9);
    }

    @Test
    void oneTrialHasARatioButNoInterval() {
        RatioEstimate e = Ratios.paired(new double[] {4}, new double[] {2});
        assertEquals(2, e.ratio(), EPS);
        assertFalse(e.hasInterval());
        assertFalse(e.excludesOne());
        assertTrue(e.describe().contains("no interval"), e.describe());
    }

    @Test
    void identicalRatiosGiveAPointInterval() {
        RatioEstimate e = Ratios.paired(new double[] {2, 4, 6}, new double[] {1, 2, 3});
        assertEquals(2, e.low(), EPS);
        assertEquals(2, e.high(), EPS);
        assertTrue(e.excludesOne());
    }

    @Test
    void nonPositiveValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Ratios.paired(new double[] {0, 1}, new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> Ratios.paired(new double[] {1}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> Ratios.welch(new double[] {}, new double[] {1}));
    }

    @Test
    void aComparisonNamesTheBetterSideOnlyWhenTheIntervalExcludesOne() {
        var results = TestData.twoDesigns(new double[] {100, 110, 105}, new double[] {200, 230, 215});
        var cs = Comparisons.within(results);
        var throughput = cs.stream().filter(c -> c.metric().equals("ops_per_sec")).findFirst().orElseThrow();
        assertEquals("a", throughput.a());
        assertEquals("b", throughput.b());
        assertTrue(throughput.ratio() < 0.6, "a has about half b's throughput: " + throughput);
        assertEquals("b", throughput.better());
        assertTrue(throughput.verdict().startsWith("b's throughput is 2."), throughput.verdict());
        var noisy = Comparisons.within(TestData.twoDesigns(new double[] {100, 300, 150}, new double[] {200, 120, 180}));
        var t2 = noisy.stream().filter(c -> c.metric().equals("ops_per_sec")).findFirst().orElseThrow();
        assertNull(t2.verdict(), "an interval straddling 1 gets no verdict: " + t2);
        assertNull(t2.better());
    }
}
