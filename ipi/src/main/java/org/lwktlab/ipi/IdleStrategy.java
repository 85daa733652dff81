package org.lwktlab.ipi;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What a CPU does when a loop pass found no work: spin, yield the core, or park. The CPU announces
 * idle (see {@link IpiSignal}) only before it parks, so while it spins or yields senders skip the
 * wake-up entirely — the cheap, coalesced case.
 *
 * <p>Our own small family rather than Agrona's {@code IdleStrategy}: the park step must be split
 * into announce, re-check, park, which Agrona's single {@code idle()} call cannot express. The
 * behaviour mirrors Agrona's {@code BackoffIdleStrategy}.
 *
 * <p>One instance per CPU; not thread-safe.
 */
public abstract sealed class IdleStrategy {
    /** The next step after an empty pass. */
    public enum Step { SPIN, YIELD, PARK }

    /** Called after a pass that did work. */
    public abstract void reset();

    /** The step to take after an empty pass. */
    public abstract Step next();

    /** How long to park when {@link #next} said {@link Step#PARK}; also the idle "clock tick". */
    public abstract long parkNanos();

    /** A fresh copy with the same settings (each CPU needs its own). */
    public abstract IdleStrategy copy();

    /** Always spin: lowest latency, burns a core. */
    public static IdleStrategy spin() {
        return new Backoff(Long.MAX_VALUE, 0, 1, 1, "spin");
    }

    /** Always yield the core. */
    public static IdleStrategy yielding() {
        return new Backoff(0, Long.MAX_VALUE, 1, 1, "yield");
    }

    /** Park at once, for up to {@code tickNanos}. */
    public static IdleStrategy park(long tickNanos) {
        return new Backoff(0, 0, tickNanos, tickNanos, "park");
    }

    /**
     * Spin {@code spins} times, yield {@code yields} times, then park, doubling the park time from
     * {@code minParkNanos} to {@code maxParkNanos}.
     */
    public static IdleStrategy backoff(long spins, long yields, long minParkNanos, long maxParkNanos) {
        return new Backoff(spins, yields, minParkNanos, maxParkNanos, "backoff");
    }

    /** The default: 100 spins, 10 yields, park 1 µs doubling to 1 ms. */
    public static IdleStrategy defaultStrategy() {
        return backoff(100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
    }

    /**
     * Parses {@code spin}, {@code yield}, {@code park[:TICK]} or
     * {@code backoff[:SPINS,YIELDS,MINPARK,MAXPARK]} with durations such as {@code 1us}, {@code 2ms}.
     *
     * @throws IllegalArgumentException naming the valid forms
     */
    public static IdleStrategy parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        String name = t.contains(":") ? t.substring(0, t.indexOf(':')) : t;
        String args = t.contains(":") ? t.substring(t.indexOf(':') + 1) : "";
        try {
            switch (name) {
                case "spin":
                    return spin();
                case "yield":
                    return yielding();
                case "park":
                    return park(args.isEmpty() ? TimeUnit.MILLISECONDS.toNanos(1) : parseNanos(args));
                case "backoff":
                    if (args.isEmpty()) {
                        return defaultStrategy();
                    }
                    String[] p = args.split(",");
                    if (p.length != 4) {
                        throw new IllegalArgumentException("backoff takes 4 values");
                    }
                    return backoff(Long.parseLong(p[0].trim()), Long.parseLong(p[1].trim()),
                            parseNanos(p[2]), parseNanos(p[3]));
                default:
                    throw new IllegalArgumentException("unknown strategy '" + name + "'");
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("idle strategy '" + text + "' is not valid (" + e.getMessage()
                    + "); use spin, yield, park[:TICK] or backoff[:SPINS,YIELDS,MINPARK,MAXPARK], e.g. backoff:100,10,1us,1ms", e);
        }
    }

    /** Parses {@code 250ns}, {@code 10us}, {@code 2ms}, {@code 1s}. */
    public static long parseNanos(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long mult;
        String num;
        if (t.endsWith("ns")) {
            mult = 1;
            num = t.substring(0, t.length() - 2);
        } else if (t.endsWith("us")) {
            mult = 1_000;
            num = t.substring(0, t.length() - 2);
        } else if (t.endsWith("ms")) {
            mult = 1_000_000;
            num = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            mult = 1_000_000_000;
            num = t.substring(0, t.length() - 1);
        } else {
            throw new IllegalArgumentException("duration '" + text + "' needs a unit: ns, us, ms or s");
        }
        long v = Long.parseLong(num.trim());
        if (v <= 0) {
            throw new IllegalArgumentException("duration '" + text + "' must be positive");
        }
        return v * mult;
    }

    /** Spin, then yield, then park with exponential back-off. */
    static final class Backoff extends IdleStrategy {
        private final long spins;
        private final long yields;
        private final long minPark;
        private final long maxPark;
        private final String kind;
        private long spun;
        private long yielded;
        private long park;

        Backoff(long spins, long yields, long minPark, long maxPark, String kind) {
            if (spins < 0 || yields < 0 || minPark <= 0 || maxPark < minPark) {
                throw new IllegalArgumentException("backoff needs spins >= 0, yields >= 0, 0 < minPark <= maxPark; got "
                        + spins + ", " + yields + ", " + minPark + "ns, " + maxPark + "ns");
            }
            this.spins = spins;
            this.yields = yields;
            this.minPark = minPark;
            this.maxPark = maxPark;
            this.kind = kind;
            this.park = minPark;
        }

        @Override
        public void reset() {
            spun = 0;
            yielded = 0;
            park = minPark;
        }

        @Override
        public Step next() {
            if (spun < spins) {
                spun++;
                return Step.SPIN;
            }
            if (yielded < yields) {
                yielded++;
                return Step.YIELD;
            }
            return Step.PARK;
        }

        @Override
        public long parkNanos() {
            long p = park;
            park = Math.min(maxPark, park << 1);
            return p;
        }

        @Override
        public IdleStrategy copy() {
            return new Backoff(spins, yields, minPark, maxPark, kind);
        }

        @Override
        public String toString() {
            return switch (kind) {
                case "spin" -> "spin";
                case "yield" -> "yield";
                case "park" -> "park:" + maxPark + "ns";
                default -> "backoff:" + spins + "," + yields + "," + minPark + "ns," + maxPark + "ns";
            };
        }
    }
}
