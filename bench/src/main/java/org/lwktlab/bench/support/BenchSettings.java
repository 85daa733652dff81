package org.lwktlab.bench.support;

import java.util.Locale;
import org.lwktlab.lwkt.Affinity;
import org.lwktlab.lwkt.KernelConfig;

/**
 * Bench-wide settings, read from system properties that {@code bin/lab bench} passes to every fork.
 *
 * <p>{@code lwkt.bench.pin} = {@code off} (default) or {@code on}. Off: nothing is pinned — JMH's
 * threads, the spinners and the kernels' CPU threads all float, so every design meets the same
 * scheduler. On: kernels pin their CPUs ({@link KernelConfig.Pin#AUTO}), and benchmark-driven threads
 * pin themselves to core {@code index % cores} ({@link #pinDriver}), so both ends of a two-thread
 * benchmark sit on different cores. Pinning helps on a quiet machine and hurts on a busy one (a
 * pinned thread cannot move off a core another process is using).
 */
public final class BenchSettings {
    /** The system property naming the pinning mode. */
    public static final String PIN_PROPERTY = "lwkt.bench.pin";

    private BenchSettings() {}

    /**
     * True when the run asked for pinning.
     *
     * @throws IllegalArgumentException for a value other than on/off
     */
    public static boolean pin() {
        String v = System.getProperty(PIN_PROPERTY, "off").trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw new IllegalArgumentException(PIN_PROPERTY + " must be on or off, got '" + v + "'");
        };
    }

    /** The kernel pinning policy that goes with {@link #pin()}. */
    public static KernelConfig.Pin kernelPin() {
        return pin() ? KernelConfig.Pin.AUTO : KernelConfig.Pin.OFF;
    }

    /**
     * Pins the calling thread to core {@code index % cores} when the run asked for pinning; does nothing
     * otherwise.
     *
     * @throws IllegalStateException if pinning was asked for and failed
     */
    public static void pinDriver(int index) {
        if (!pin()) {
            return;
        }
        int core = index % Runtime.getRuntime().availableProcessors();
        String err = Affinity.pinCurrentThread(core);
        if (err != null) {
            throw new IllegalStateException("lwkt.bench.pin=on but pinning a benchmark thread failed: " + err);
        }
    }
}
