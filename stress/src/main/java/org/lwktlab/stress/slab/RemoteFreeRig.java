package org.lwktlab.stress.slab;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.lwktlab.ipi.IpiFunction;
import org.lwktlab.ipi.SubmittedIpi;
import org.lwktlab.lwkt.HandlerError;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.slab.Slab;
import org.lwktlab.slab.SlabConfig;
import org.lwktlab.stress.support.Bounded;
import org.lwktlab.stress.support.Kernels;

/**
 * The cross-CPU free scenario one slab design runs for each test instance: CPU 0 allocates a chunk and
 * sends it to CPU 1, which frees it there (a remote free: the chunk goes home to CPU 0 by the design's
 * path); meanwhile CPU 0, on the other actor's request, allocates and frees locally, keeping a window of
 * its own chunks live, so a chunk that came home twice would be handed out while its twin is live.
 *
 * <p>Shared by every instance of one test in its VM: the kernel, the slab (a small arena: 4 zones of
 * 32 KiB, about 2,000 chunks of 64 B — at most a few hundred are ever in flight, while a run passes
 * hundreds of thousands through it) and the live-chunk registry.
 * CPU-owned: {@link #window} on CPU 0.
 */
final class RemoteFreeRig {
    static final int CHUNK = 64;
    private static final int WINDOW = 8;

    /** Outcome codes. */
    static final int OK = 0;
    static final int DUPLICATE = 1;
    static final int EXHAUSTED = 2;
    static final int TIMEOUT = 3;
    static final int ERROR = 4;

    private final Kernel kernel;
    private final Slab slab;
    private final ConcurrentHashMap<Long, Boolean> live = new ConcurrentHashMap<>();
    private final long[] window = new long[WINDOW];
    private final AtomicBoolean errorReported = new AtomicBoolean();
    private int windowNext;

    RemoteFreeRig(String design) {
        kernel = Kernels.boot("stress-slab-" + design);
        slab = Slab.create(design, kernel, SlabConfig.builder().name("stress").arenaBytes(4L * 32 * 1024)
                .zoneBytes(32 * 1024).freeZones(0, 2).remoteBatch(8).build());
    }

    /** One test instance's two requests and what came of them. */
    final class Round {
        volatile int remoteDone;
        volatile int localDone;
        volatile int status = OK;

        /** Actor: CPU 0 allocates and sends the chunk to CPU 1 to be freed there. */
        void remote() {
            kernel.fabric().submit(0, remoteStart);
        }

        /** Actor: CPU 0 allocates and frees locally. */
        void local() {
            kernel.fabric().submit(0, localStep);
        }

        private final SubmittedIpi remoteStart = cpu -> {
            long h = allocLive(this);
            if (h == Slab.NULL) {
                remoteDone = 1;
                return;
            }
            kernel.fabric().sendAndSignal(0, 1, FREE_REMOTELY, this, h);
        };

        private final SubmittedIpi localStep = cpu -> {
            long h = allocLive(this);
            if (h != Slab.NULL) {
                long old = window[windowNext];
                window[windowNext] = h;
                windowNext = (windowNext + 1) % WINDOW;
                if (old != Slab.NULL) {
                    freeLive(this, old);
                }
            }
            localDone = 1;
        };

        /** Arbiter: waits (bounded) for both requests and returns the outcome code. */
        int outcome() {
            long deadline = Bounded.deadline();
            for (int spins = 0; remoteDone == 0 || localDone == 0; spins++) {
                if (!Bounded.pause(spins, deadline)) {
                    return TIMEOUT;
                }
            }
            if (kernel.errorCount() != 0) {
                reportFirstError();
                return ERROR;
            }
            return status;
        }
    }

    /**
     * Prints the kernel's first recorded error, once per VM, so the report's VM output says what made
     * an instance end in ERROR (the outcome code alone does not). Plain prints and the error's own
     * stack trace only: this runs in whatever state made a CPU fail, where even linking a string
     * concatenation can fail.
     */
    private void reportFirstError() {
        if (errorReported.compareAndSet(false, true)) {
            PrintStream err = System.err;
            err.print("stress-slab: kernel handler errors: ");
            err.println(kernel.errorCount());
            List<HandlerError> kept = kernel.errors();
            if (!kept.isEmpty()) {
                HandlerError first = kept.getFirst();
                err.print("stress-slab: first, on cpu ");
                err.print(first.cpu());
                err.print(" in ");
                err.println(first.where());
                first.error().printStackTrace(err);
            }
        }
    }

    private final IpiFunction FREE_REMOTELY = (cpu, arg, h) -> {
        Round r = (Round) arg;
        freeLive(r, h);
        r.remoteDone = 1;
    };

    private long allocLive(Round r) {
        long h = slab.tryAlloc(CHUNK);
        if (h == Slab.NULL) {
            r.status = EXHAUSTED;
        } else if (live.putIfAbsent(h, Boolean.TRUE) != null) {
            r.status = DUPLICATE;
        }
        return h;
    }

    private void freeLive(Round r, long h) {
        if (live.remove(h) == null) {
            r.status = DUPLICATE;
        }
        slab.free(h);
    }
}
