package org.lwktlab.lab.cli;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.lwktlab.lab.run.Runner;

/**
 * Ctrl-C during a run: a shutdown hook asks the {@link Runner} to stop (the current trial is abandoned
 * cleanly: workload stopped, kernel shut down, partial numbers discarded) and holds the JVM's exit until
 * the main thread has written the partial results and report, marked incomplete. The exit status is then
 * the shell's usual 130.
 *
 * <p>A shutdown hook rather than a SIGINT handler: it needs no internal API ({@code sun.misc.Signal}),
 * and SIGTERM gets the same clean stop.
 */
final class CtrlC implements AutoCloseable {
    /** Longest the hook holds the exit: a stuck trial's stop (30 s) plus kernel shutdown (30 s), and writing. */
    private static final long HOLD_SECONDS = 90;

    private final Thread hook;
    private final CountDownLatch written = new CountDownLatch(1);

    private CtrlC(Runner runner, PrintStream out) {
        hook = new Thread(() -> {
            out.println();
            out.println("lab: interrupted: stopping the current trial cleanly and writing the partial results ...");
            out.flush();
            runner.interrupt();
            try {
                if (!written.await(HOLD_SECONDS, TimeUnit.SECONDS)) {
                    out.println("lab: gave up waiting " + HOLD_SECONDS + " s for the partial results to be written");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "lab-ctrl-c");
    }

    /** Installs the hook for {@code runner}; {@link #close()} once the results are written. */
    static CtrlC arm(Runner runner, PrintStream out) {
        CtrlC c = new CtrlC(runner, out);
        Runtime.getRuntime().addShutdownHook(c.hook);
        return c;
    }

    /** The results are written: let a pending exit proceed, and remove the hook if no exit is under way. */
    @Override
    public void close() {
        written.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting (Ctrl-C): the hook is running and now returns
        }
    }
}
