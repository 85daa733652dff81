package org.lwktlab.lwkt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimulationTest {

    private static KernelConfig.Builder sim(int cpus, long seed) {
        return KernelConfig.builder(cpus).deterministic(seed).probeCapacity(1024);
    }

    /**
     * Three clients on cpus 1..3 each send {@code rounds} requests to a server on cpu 0 and continue in
     * the reply; the server logs the order it served them in. Returns that order.
     */
    private static String clientsAndServer(Kernel k, int rounds) {
        StringBuilder order = new StringBuilder();
        LwktThread server = k.spawn(0, "server", m -> {
            order.append(m.arg()).append(' ');
            Lwkt.replymsg(m, Errno.OK);
        });
        int[] done = new int[1];
        for (int c = 1; c <= 3; c++) {
            final int id = c;
            int[] left = {rounds};
            LwktThread client = LwktThread.builder("client" + c).handler(m -> {
                if (!m.isReply()) {
                    Lwkt.replymsg(m, Errno.OK);
                    Lwkt.sendmsg(server.port(), new Message(Lwkt.curthread().port()).arg(id));
                } else if (--left[0] > 0) {
                    Lwkt.sendmsg(server.port(), m);
                } else {
                    done[0]++;
                }
            }).spawn(k, c);
            Lwkt.sendmsg(client.port(), new Message(NullPort.get()));
        }
        k.simulation().await("every client to finish", () -> done[0] == 3);
        return order.toString();
    }

    private static String logOf(long seed) {
        StringWriter out = new StringWriter();
        Kernel k = Kernel.boot(sim(4, seed).eventLog(EventLog.to(out)).build());
        clientsAndServer(k, 20);
        assertTrue(k.shutdown().clean());
        return out.toString();
    }

    @Test
    void oneSeedReplaysByteForByteAndAnotherSeedDiffers() {
        String a = logOf(42);
        String b = logOf(42);
        String c = logOf(43);
        assertTrue(a.lines().count() > 100, "the log is suspiciously short:\n" + a);
        assertEquals(a, b, "two runs with seed 42 wrote different event logs");
        assertNotEquals(a, c, "seeds 42 and 43 interleaved identically");
        assertTrue(a.contains("cpu0 run 'server'") && a.contains("ipi<-cpu"), a.lines().limit(20).toList().toString());
    }

    @Test
    void theSeedChangesWhatTheProgramDoesNotJustTheLog() {
        Set<String> orders = new HashSet<>();
        for (long seed = 1; seed <= 12; seed++) {
            Kernel k = Kernel.boot(sim(4, seed).build());
            String order = clientsAndServer(k, 4);
            assertTrue(k.shutdown().clean());
            Kernel again = Kernel.boot(sim(4, seed).build());
            assertEquals(order, clientsAndServer(again, 4), "seed " + seed + " did not replay");
            again.shutdown();
            orders.add(order);
        }
        assertTrue(orders.size() > 6, "12 seeds gave only " + orders.size() + " service orders: " + orders);
    }

    @Test
    void timeIsSimulatedAndAdvancesPerStep() {
        Kernel k = Kernel.boot(sim(2, 7).stepNanos(500).build());
        Simulation s = k.simulation();
        assertSame(s, Simulation.current(), "the booting thread controls the simulation");
        assertSame(s, k.clock());
        long[] seen = new long[2];
        LwktThread t = k.spawn(1, "t", m -> {
            seen[0] = Lwkt.nanoTime();
            seen[1] = Lwkt.currentCpu().nanoTime();
            Lwkt.replymsg(m, Errno.OK);
        });
        assertEquals(0, s.nanoTime());
        assertEquals(Errno.OK, Lwkt.domsg(t.port(), new Message(WaitPort.get())));
        assertEquals(s.steps() * 500, s.nanoTime(), "every step is 500 ns");
        assertTrue(seen[0] > 0 && seen[0] == seen[1] && seen[0] <= s.nanoTime(), seen[0] + " " + seen[1]);
        assertEquals(s.nanoTime(), Lwkt.nanoTime(), "the controller reads simulated time too");
        long before = s.nanoTime();
        s.runFor(1_000_000); // idle: the clock jumps
        assertEquals(before + 1_000_000, s.nanoTime());
        assertTrue(k.shutdown().clean());
        assertNull(Simulation.current(), "shutdown releases the controller");
    }

    @Test
    void aFullRingIsDrainedByLettingTheTargetStep() {
        Kernel k = Kernel.boot(sim(2, 3).ringCapacity(2).build());
        int[] got = new int[1];
        LwktThread sink = k.spawn(1, "sink", m -> {
            got[0]++;
            Lwkt.replymsg(m, Errno.OK);
        });
        LwktThread flood = k.spawn(0, "flood", m -> {
            for (int i = 0; i < 200; i++) {
                Lwkt.sendmsg(sink.port(), new Message(NullPort.get()));
            }
            Lwkt.replymsg(m, Errno.OK);
        });
        assertEquals(Errno.OK, Lwkt.domsg(flood.port(), new Message(WaitPort.get())));
        k.simulation().runUntilQuiescent();
        assertEquals(200, got[0]);
        ShutdownReport r = k.shutdown();
        assertTrue(r.clean() && r.handlerErrors() == 0, r.toString());
    }

    @Test
    void cpusyncFromACpuAndFromTheControllerCompletes() {
        Kernel k = Kernel.boot(sim(3, 11).build());
        int[] ran = new int[3];
        LwktThread master = k.spawn(0, "master", m -> {
            k.cpusync(0b111, (cpu, a, a2) -> ran[cpu]++, null, 0);
            Lwkt.replymsg(m, Errno.OK);
        });
        assertEquals(Errno.OK, Lwkt.domsg(master.port(), new Message(WaitPort.get())));
        k.cpusync(0b110, (cpu, a, a2) -> ran[cpu] += 10, null, 0);
        assertEquals(List.of(1, 11, 11), List.of(ran[0], ran[1], ran[2]));
        assertTrue(k.shutdown().clean());
    }

    @Test
    void aWaitThatCanNeverEndIsReportedWithTheSeed() {
        Kernel k = Kernel.boot(sim(2, 5).build());
        LwktThread t = k.spawn(0, "waiter", m -> {
            // wait for an IPI that was never sent: in real threads this spins forever
            long never = k.fabric().ring(0, 1).producerIndex() + 5;
            k.fabric().waitIpiq(0, 1, never);
            Lwkt.replymsg(m, Errno.OK);
        });
        Message m = new Message(WaitPort.get());
        assertEquals(Errno.EHANDLER, Lwkt.domsg(t.port(), m));
        assertTrue(m.exception() instanceof IllegalStateException);
        assertTrue(m.exception().getMessage().contains("seed 5") && m.exception().getMessage().contains("stuck"),
                m.exception().getMessage());
        k.shutdown();
    }

    @Test
    void shutdownRunsTheSameChecksAndCannotBeDrivenFromAStep() {
        Kernel k = Kernel.boot(sim(2, 9).build());
        List<Message> kept = new ArrayList<>();
        LwktThread hoarder = k.spawn(1, "hoarder", kept::add);
        Lwkt.sendmsg(hoarder.port(), new Message(WaitPort.get()));
        IllegalStateException[] fromInside = new IllegalStateException[1];
        LwktThread inner = k.spawn(0, "inner", m -> {
            try {
                k.simulation().runUntilQuiescent();
            } catch (IllegalStateException e) {
                fromInside[0] = e;
            }
            Lwkt.replymsg(m, Errno.OK);
        });
        Lwkt.domsg(inner.port(), new Message(WaitPort.get()));
        assertNotNull(fromInside[0]);
        assertTrue(fromInside[0].getMessage().contains("inside one of its own steps"), fromInside[0].getMessage());
        ShutdownReport r = k.shutdown();
        assertEquals(1, r.outstanding());
        assertFalse(r.clean());
        assertThrows(IllegalStateException.class, () -> k.simulation().step());
    }

    @Test
    void aSeedSweepFindsTheFirstSeedThatLosesARaceAndReplaysIt() {
        // a buggy protocol: two writers race to a register on cpu 0, and the scenario assumes the
        // "second" write (from cpu 2) always lands last
        SeedSweep.Scenario lastWriterWins = k -> {
            long[] reg = new long[1];
            int[] writes = new int[1];
            LwktThread register = k.spawn(0, "register", m -> {
                reg[0] = m.arg();
                writes[0]++;
                Lwkt.replymsg(m, Errno.OK);
            });
            for (int c = 1; c <= 2; c++) {
                final long value = c;
                LwktThread w = k.spawn(c, "writer" + c, m -> {
                    Lwkt.sendmsg(register.port(), new Message(NullPort.get()).arg(value));
                    Lwkt.replymsg(m, Errno.OK);
                });
                Lwkt.sendmsg(w.port(), new Message(NullPort.get()));
            }
            k.simulation().await("both writes", () -> writes[0] == 2);
            if (reg[0] != 2) {
                throw new AssertionError("register holds " + reg[0] + ", expected the cpu 2 write last");
            }
        };
        SeedSweep sweep = SeedSweep.over(() -> KernelConfig.builder(3).probeCapacity(1024));
        SeedSweep.Result r = sweep.seeds(1, 2_000).run(lastWriterWins);
        assertFalse(r.passed(), "2000 schedules never let cpu 1 write last: " + r);
        long bad = r.failure().seed();
        assertTrue(r.failure().reason().contains("register holds 1"), r.toString());
        assertEquals(bad - r.firstSeed() + 1, r.seedsRun(), "seedsRun counts up to the failing seed");
        StringWriter log1 = new StringWriter();
        StringWriter log2 = new StringWriter();
        assertNotNull(sweep.replay(bad, lastWriterWins, EventLog.to(log1)), "the failing seed passed on replay");
        assertNotNull(sweep.replay(bad, lastWriterWins, EventLog.to(log2)));
        assertEquals(log1.toString(), log2.toString());
        long good = firstPassing(sweep, lastWriterWins);
        assertEquals(sweep.digest(good, lastWriterWins), sweep.digest(good, lastWriterWins));
    }

    private static long firstPassing(SeedSweep sweep, SeedSweep.Scenario s) {
        for (long seed = 1; seed < 100; seed++) {
            if (sweep.seeds(seed, 1).run(s).passed()) {
                return seed;
            }
        }
        throw new AssertionError("no seed in 1..99 passed");
    }

    @Test
    void aCorrectProtocolPassesAThousandSeeds() {
        SeedSweep.Result r = SeedSweep.over(() -> KernelConfig.builder(4).probeCapacity(1024)).seeds(100, 1_000)
                .run(k -> {
                    String order = clientsAndServer(k, 3);
                    if (order.split(" ").length != 9) {
                        throw new AssertionError("served " + order);
                    }
                });
        assertTrue(r.passed(), r.toString());
        assertEquals(1_000, r.seedsRun());
    }
}
