package org.lwktlab.lwkt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Kernel#awaitOutside}: a thread outside the kernel waits for work it handed to a CPU — in real
 * time on CPU threads, by driving the simulation under one (where real time moves nothing).
 */
class AwaitOutsideTest {
    private static Kernel boot(boolean simulated) {
        KernelConfig.Builder b = KernelConfig.builder(2).pin(KernelConfig.Pin.OFF);
        return Kernel.boot(simulated ? b.deterministic(11).build() : b.build());
    }

    @ParameterizedTest(name = "simulated={0}")
    @ValueSource(booleans = {false, true})
    void returnsOnceTheSubmittedWorkRan(boolean simulated) {
        Kernel k = boot(simulated);
        AtomicInteger ran = new AtomicInteger();
        for (int cpu = 0; cpu < 2; cpu++) {
            k.fabric().submit(cpu, c -> ran.incrementAndGet());
        }
        assertTrue(k.awaitOutside("both cpus to run the job", Duration.ofSeconds(30), () -> ran.get() == 2));
        assertEquals(2, ran.get());
        assertTrue(k.shutdown().clean());
    }

    @ParameterizedTest(name = "simulated={0}")
    @ValueSource(booleans = {false, true})
    void aConditionNothingWillMakeTrueIsAnAnswerNotAHang(boolean simulated) {
        Kernel k = boot(simulated);
        try {
            if (simulated) {
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> k.awaitOutside("a job nobody sent", Duration.ofSeconds(30), () -> false));
                assertTrue(e.getMessage().contains("a job nobody sent") && e.getMessage().contains("seed 11")
                        && e.getMessage().contains("went quiet"), e.getMessage());
            } else {
                assertFalse(k.awaitOutside("a job nobody sent", Duration.ofMillis(20), () -> false));
            }
        } finally {
            k.shutdown();
        }
    }
}
