package org.lwktlab.stress.slab;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.atomic.AtomicInteger;
import org.lwktlab.ipi.SubmittedIpi;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.slab.ObjCache;
import org.lwktlab.stress.support.Bounded;
import org.lwktlab.stress.support.Kernels;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * {@link ObjCache}: magazine exchanges with the depot lose no object and hand out none twice.
 *
 * <p>One cache per VM with one-round magazines, so nearly every get and put goes past the loaded and
 * previous magazines to the depot (the depot lock, the empty/full trades, objects crossing from one
 * CPU's puts to the other's gets), and a limit of 8 objects. For each test instance both CPUs, at the
 * same time, get two objects and put them back (in IPI context, the fast path). At most four objects
 * are ever out, so a get that returns null (the limit reached with nothing cached) means objects were
 * lost in an exchange; every object carries an "out" flag that a get must flip from 0 to 1, so an
 * object handed out twice is caught. Result: 0 OK, 1 duplicate, 2 lost (null get), 3 timeout.
 *
 * <ul>
 *   <li>Acceptable: 0.</li>
 *   <li>Forbidden: anything else.</li>
 * </ul>
 */
@JCStressTest
@Outcome(id = "0", expect = ACCEPTABLE, desc = "Every get found an object nobody else held; every put kept it.")
@Outcome(id = "1", expect = FORBIDDEN, desc = "An object was handed out while already out: cached twice.")
@Outcome(id = "2", expect = FORBIDDEN, desc = "A get found nothing with at most half the limit out: objects were lost.")
@Outcome(expect = FORBIDDEN, desc = "The CPUs did not finish in time.")
@State
public class ObjCacheDepotExchange {
    /** A cached object with its "handed out" flag. */
    static final class Item {
        final AtomicInteger out = new AtomicInteger();
    }

    private static final Kernel KERNEL = Kernels.boot("stress-objcache");
    private static final ObjCache<Item> CACHE = ObjCache.builder("stress", Item::new).magazineCapacity(1).limit(8)
            .build(KERNEL);

    private final Cycle onCpu0 = new Cycle();
    private final Cycle onCpu1 = new Cycle();

    /** Get two, put both back: on one CPU, in its IPI context. */
    static final class Cycle implements SubmittedIpi {
        volatile int done;
        volatile int status;

        @Override
        public void ipi(int cpu) {
            Item a = take();
            Item b = take();
            give(a);
            give(b);
            done = 1;
        }

        private Item take() {
            Item it = CACHE.get();
            if (it == null) {
                status = Math.max(status, 2);
            } else if (!it.out.compareAndSet(0, 1)) {
                status = 1;
            }
            return it;
        }

        private void give(Item it) {
            if (it != null) {
                it.out.set(0);
                CACHE.put(it);
            }
        }
    }

    @Actor
    public void cpu0() {
        KERNEL.fabric().submit(0, onCpu0);
    }

    @Actor
    public void cpu1() {
        KERNEL.fabric().submit(1, onCpu1);
    }

    @Arbiter
    public void outcome(I_Result r) {
        long deadline = Bounded.deadline();
        for (int spins = 0; onCpu0.done == 0 || onCpu1.done == 0; spins++) {
            if (!Bounded.pause(spins, deadline)) {
                r.r1 = 3;
                return;
            }
        }
        r.r1 = Math.max(onCpu0.status, onCpu1.status);
    }
}
