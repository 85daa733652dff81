package org.lwktlab.stress.wakeup;

import org.lwktlab.ipi.IpiFabric;
import org.lwktlab.ipi.IpiSignal;

/**
 * The target side of the protocol, exactly as a CPU's loop runs it before parking ({@code Cpu.park}):
 * announce idle, re-check every source of work, cancel idle if there is any.
 */
final class IdlePath {
    private IdlePath() {}

    /** @return 1 if the re-check found work (the CPU stays running), 0 if it would park */
    static int announceAndRecheck(IpiFabric fabric, int cpu) {
        IpiSignal s = fabric.signal(cpu);
        s.announceIdle();
        if (fabric.hasPending(cpu)) {
            s.cancelIdle();
            return 1;
        }
        return 0;
    }
}
