package org.lwktlab.lab.cli;

import java.io.PrintStream;
import java.util.List;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarStyle;
import org.lwktlab.lab.run.PlainLines;
import org.lwktlab.lab.run.RunListener;
import org.lwktlab.lab.run.RunResults;
import org.lwktlab.lab.run.RunSpec;
import org.lwktlab.lab.run.TrialRecord;

/**
 * Progress on a terminal: one progress bar (me.tongfei progressbar) over the run's planned time, with the
 * current trial and an ETA, and one line per finished trial printed above it.
 *
 * <p>The bar redraws from its own timer thread; trial lines come from the runner thread. Both go through
 * one {@link Console} consumer whose methods are synchronized, so a line never lands in the middle of
 * a redraw.
 */
final class BarProgress implements RunListener {
    private final PrintStream out;
    private Console console;
    private ProgressBar bar;
    private long trialMillis;
    private int order;
    private int total;
    private String name;

    BarProgress(PrintStream out) {
        this.out = out;
    }

    /** True when {@code System.out} is an interactive terminal (then a bar makes sense). */
    static boolean onTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    /** Draws the bar and prints lines between redraws. */
    private static final class Console extends ConsoleProgressBarConsumer {
        private final PrintStream out;
        private String last;

        Console(PrintStream out) {
            super(out);
            this.out = out;
        }

        @Override
        public synchronized void accept(String rendered) {
            last = rendered;
            super.accept(rendered);
        }

        /** Clears the bar's line, prints {@code line}, redraws the bar below it. */
        synchronized void println(String line) {
            out.print("\r\033[2K" + line + "\n");
            if (last != null) {
                super.accept(last);
            }
            out.flush();
        }
    }

    @Override
    public void started(RunSpec spec, List<RunSpec.Slot> plan, long trialNanos) {
        name = spec.experiment().name();
        total = plan.size();
        trialMillis = Math.max(1, trialNanos / 1_000_000);
        console = new Console(out);
        bar = ProgressBar.builder().setTaskName(name).setInitialMax(trialMillis * total).setUnit("s", 1000)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(200).setConsumer(console)
                .build();
    }

    @Override
    public void trialStarted(int order, RunSpec.Slot slot) {
        this.order = order;
        bar.setExtraMessage("trial " + order + "/" + total + ": " + slot.label());
    }

    @Override
    public void progress(long doneNanos) {
        bar.stepTo((order - 1) * trialMillis + Math.min(trialMillis, doneNanos / 1_000_000));
    }

    @Override
    public void trialFinished(int order, RunSpec.Slot slot, TrialRecord record) {
        bar.stepTo(order * trialMillis);
        console.println("[" + order + "/" + total + "] " + name + " " + slot.label() + ": " + PlainLines.resultLine(record));
    }

    @Override
    public void trialFailed(int order, RunSpec.Slot slot, Exception error) {
        console.println("[" + order + "/" + total + "] " + name + " " + slot.label() + " FAILED: " + error);
    }

    @Override
    public void note(String line) {
        if (console != null) {
            console.println("note: " + line);
        } else {
            out.println("note: " + line);
        }
    }

    @Override
    public void interrupted(int order, RunSpec.Slot slot) {
        console.println("[" + order + "/" + total + "] " + name + " " + slot.label()
                + " interrupted: stopped cleanly, partial trial discarded");
    }

    @Override
    public void finished(RunResults results) {
        bar.close();
        out.println();
    }
}
