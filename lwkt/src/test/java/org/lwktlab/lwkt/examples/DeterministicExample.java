package org.lwktlab.lwkt.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.EventLog;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.KernelConfig;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.NullPort;
import org.lwktlab.lwkt.SeedSweep;

/** The runnable example of docs/research.md: {@code bin/lab test -q -pl lwkt -am -Dtest=DeterministicExample -Dsurefire.failIfNoSpecifiedTests=false}. */
class DeterministicExample {

    /** Two writers race to a register; the scenario wrongly assumes cpu 2's write always lands last. */
    static final SeedSweep.Scenario LAST_WRITER_WINS = k -> {
        long[] register = new long[1];
        int[] writes = new int[1];
        LwktThread reg = k.spawn(0, "register", m -> {
            register[0] = m.arg();
            writes[0]++;
            Lwkt.replymsg(m, Errno.OK);
        });
        for (int cpu = 1; cpu <= 2; cpu++) {
            final long value = cpu;
            LwktThread writer = k.spawn(cpu, "writer" + cpu, m -> {
                Lwkt.sendmsg(reg.port(), new Message(NullPort.get()).arg(value));
                Lwkt.replymsg(m, Errno.OK);
            });
            Lwkt.sendmsg(writer.port(), new Message(NullPort.get()));  // kick it
        }
        k.simulation().await("both writes", () -> writes[0] == 2); // runs the simulation until then
        if (register[0] != 2) {
            throw new AssertionError("register holds " + register[0]);
        }
    };

    @Test
    void sweepSeedsFindTheFirstFailingOneAndReplayIt() {
        SeedSweep sweep = SeedSweep.over(() -> KernelConfig.builder(3));
        SeedSweep.Result result = sweep.seeds(1, 2_000).run(LAST_WRITER_WINS);
        System.out.println(result);                       // seed N failed after S steps: ... register holds 1
        assertFalse(result.passed());

        StringWriter log = new StringWriter();            // replay the failing seed, step by step
        assertNotNull(sweep.replay(result.failure().seed(), LAST_WRITER_WINS, EventLog.to(log)));
        System.out.println(log);
    }

    @Test
    void oneSeedOneInterleaving() {
        assertEquals(logOf(7), logOf(7));                 // byte-identical
        assertNotEquals(logOf(7), logOf(8));
    }

    private static String logOf(long seed) {
        StringWriter out = new StringWriter();
        Kernel k = Kernel.boot(KernelConfig.builder(3).deterministic(seed).eventLog(EventLog.to(out)).build());
        try {
            LAST_WRITER_WINS.run(k);
        } catch (Exception | AssertionError e) {
            // some seeds lose the race; the log is what this example compares
        }
        k.shutdown();
        return out.toString();
    }
}
