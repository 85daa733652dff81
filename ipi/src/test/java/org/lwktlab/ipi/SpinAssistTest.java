package org.lwktlab.ipi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seams a single-threaded deterministic driver uses: draining one source at a time, and a
 * {@link SpinAssist} that replaces spinning. No CPU threads here — the test thread plays every CPU.
 */
class SpinAssistTest {

    private static IpiFabric fabric(int cpus, int ring, int submissions) {
        return new IpiFabric(new IpiFabric.Config(cpus, ring, submissions, SubmissionQueue.FullPolicy.WAIT, null, true,
                false));
    }

    @Test
    void drainRingTakesOnlyThatSendersEntriesInOrder() {
        IpiFabric f = fabric(3, 8, 8);
        List<String> ran = new ArrayList<>();
        IpiFunction note = (cpu, a, v) -> ran.add(a + "@" + cpu);
        f.send(0, 2, note, "a0", 0);
        f.send(1, 2, note, "b0", 0);
        f.send(0, 2, note, "a1", 0);
        f.submissions(2).submit(cpu -> ran.add("outside@" + cpu));
        assertEquals(2, f.drainRing(2, 0));
        assertEquals(List.of("a0@2", "a1@2"), ran);
        assertTrue(f.hasPending(2));
        assertEquals(1, f.drainSubmissions(2));
        assertEquals(1, f.drainRing(2, 1));
        assertEquals(List.of("a0@2", "a1@2", "outside@2", "b0@2"), ran);
        assertFalse(f.hasPending(2));
        assertEquals(0, f.runReleasedCpusyncs(2));
        assertFalse(f.cpusyncRunnable(2));
    }

    @Test
    void aFullRingCallsTheAssistInsteadOfSpinning() {
        IpiFabric f = fabric(2, 2, 8);
        int[] assists = new int[1];
        int[] delivered = new int[1];
        f.spinAssist(waiting -> {
            assertEquals(0, waiting, "the waiting cpu is named");
            assists[0]++;
            f.drainRing(1, 0); // the target steps, as it would on its own thread
        });
        for (int i = 0; i < 10; i++) {
            f.send(0, 1, (cpu, a, v) -> delivered[0]++, null, 0);
        }
        f.drainRing(1, 0);
        assertEquals(10, delivered[0]);
        assertTrue(assists[0] >= 4, "a ring of 2 took 10 sends with only " + assists[0] + " assists");
    }

    @Test
    void anAssistThatCannotHelpEndsTheWaitWithItsError() {
        IpiFabric f = fabric(2, 4, 8);
        f.spinAssist(waiting -> {
            throw new IllegalStateException("cpu " + waiting + " is stuck");
        });
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> f.waitIpiq(0, 1, f.ring(0, 1).producerIndex() + 1));
        assertEquals("cpu 0 is stuck", e.getMessage());
    }

    @Test
    void aFullSubmissionQueueCallsTheAssistFromOutside() {
        IpiFabric f = fabric(1, 2, 2);
        int[] ran = new int[1];
        List<Integer> waiters = new ArrayList<>();
        f.spinAssist(waiting -> {
            waiters.add(waiting);
            f.drainSubmissions(0);
        });
        for (int i = 0; i < 7; i++) {
            f.submit(0, cpu -> ran[0]++);
        }
        f.drainSubmissions(0);
        assertEquals(7, ran[0]);
        assertFalse(waiters.isEmpty());
        assertTrue(waiters.stream().allMatch(w -> w == SpinAssist.EXTERNAL), waiters.toString());
    }

    @Test
    void anExternalCpusyncIsDrivenByTheAssist() {
        IpiFabric f = fabric(2, 4, 8);
        int[] ran = new int[2];
        f.spinAssist(waiting -> {
            for (int c = 0; c < 2; c++) {
                f.drainSubmissions(c);
                f.runReleasedCpusyncs(c);
            }
        });
        new CpuSync(f).run(CpuSync.EXTERNAL, 0b11, (cpu, a, v) -> ran[cpu]++, null, 0);
        assertEquals(1, ran[0]);
        assertEquals(1, ran[1]);
    }
}
