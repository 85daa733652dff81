package org.lwktlab.netisr;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.lwktlab.lwkt.lock.LockKind;
import org.lwktlab.netisr.inet.Ip4Tcp;
import org.lwktlab.slab.Slab;

/**
 * Settings of a {@link NetStack}, validated when built: a bad value is rejected with an
 * {@link IllegalArgumentException} that names the setting and its valid range.
 *
 * @param design      message or mutex
 * @param mss         payload bytes per segment (the frame adds 40 bytes of headers)
 * @param window      the fixed window: each socket buffer's size, so the most a sender has in flight
 *                    and the most a receiver advertises (bytes, at most 65,535 — no window scaling)
 * @param tickNanos   length of one clock tick, the unit of every timer
 * @param rtoTicks    smallest (and initial) retransmission timeout; above it the timeout follows the
 *                    measured round trip, {@code srtt + 4 rttvar}, and doubles per retry up to {@code rtoMaxTicks}
 * @param rtoMaxTicks largest retransmission timeout
 * @param retries     retransmissions of one segment before the connection is dropped (ETIMEDOUT)
 * @param delackTicks delayed-ACK timer: a lone in-order segment is acknowledged within this
 * @param msl2Ticks   TIME_WAIT length (2 MSL)
 * @param backlog     most connections a listener holds between SYN and {@code accept} (half-open and
 *                    established, FreeBSD's {@code somaxconn}); a SYN beyond it is dropped, and the
 *                    client's retransmission asks again
 * @param ackRollup   true: owed ACKs go out once per netisr batch, in the end-of-batch rollup
 *                    ({@code tcp_willblock}); false: at the end of each segment's processing
 * @param batch       messages a netisr handles per run before its rollup (DragonFly: 512)
 * @param faults      the wire's seeded loss, reordering, duplication and corruption
 * @param lock        mutex design: the lock kind of {@code pcbinfo}, PCB, listener and callout locks
 * @param pcbLocks    mutex design: size of the PCB lock pool (each PCB takes one by its socket id)
 * @param clock       what drives the timers: {@link Clock#HARDCLOCK} or {@link Clock#POLL}
 * @param slab        design of the slab allocator frames and socket buffers come from ({@link Slab#DESIGNS});
 *                    the same for both network designs by default, so it is not what differs
 * @param slabArenaMiB off-heap memory of that slab, MiB
 * @param lportRss    true: a {@code connect} picks an ephemeral port whose 4-tuple hashes to the CPU it
 *                    runs on ({@link RssLocalPort}), so the PCB is born where its packets arrive; false:
 *                    the CPU's next free port, wherever it hashes (the message design then moves the
 *                    PCB, as DragonFly's {@code tcp_connect} does). The same in both designs.
 */
public record NetConfig(NetDesign design, int mss, int window, long tickNanos, int rtoTicks, int rtoMaxTicks,
                        int retries, int delackTicks, int msl2Ticks, int backlog, boolean ackRollup, int batch, WireFaults faults,
                        LockKind lock, int pcbLocks, Clock clock, String slab, int slabArenaMiB, boolean lportRss) {

    /** What advances each CPU's timer wheel. */
    public enum Clock {
        /**
         * A thread outside the kernel — the machine's timer chip — sends each CPU's netisr its tick
         * message every tick (DragonFly's systimer → hardclock). Idle CPUs still get their timers run.
         */
        HARDCLOCK,
        /**
         * No outside thread: a user-priority LWKT thread per CPU (the clock poller) sends the netisr its
         * tick each time it runs and stays ready, so the netisr reads the clock and runs due timers once
         * per round of that CPU's user-priority threads (equal priorities round-robin, so app threads
         * still run). For runs that may only drive load from inside the kernel (the deterministic
         * simulation mode); it keeps every CPU busy.
         */
        POLL
    }

    /** Setting names accepted by {@link Builder#set}. */
    public static final List<String> KEYS = List.of("mss", "window", "tick", "rto", "rto.max", "retries", "delack",
            "msl2", "backlog", "acks", "batch", "loss", "reorder", "reorder.depth", "dup", "corrupt", "wire.seed", "lock",
            "pcb.locks", "clock", "slab", "slab.arena", "lport");

    public NetConfig {
        if (design == null || faults == null || lock == null || clock == null || slab == null) {
            throw new IllegalArgumentException("net config: design, faults, lock, clock and slab must be set");
        }
        check(mss >= 16 && mss <= Slab.MAX_SIZE - Ip4Tcp.HLEN, "mss", "must be 16.." + (Slab.MAX_SIZE - Ip4Tcp.HLEN)
                + " bytes (a frame is one slab chunk of at most " + Slab.MAX_SIZE + " bytes), got " + mss);
        check(window >= mss && window <= Slab.MAX_SIZE, "window", "must be mss (" + mss + ") .. " + Slab.MAX_SIZE
                + " bytes (a socket buffer is one slab chunk), got " + window);
        check(Slab.DESIGNS.contains(slab), "slab", "must be one of " + String.join(", ", Slab.DESIGNS) + ", got '" + slab + "'");
        check(slabArenaMiB >= 1 && slabArenaMiB <= 65536, "slab.arena", "must be 1..65536 MiB, got " + slabArenaMiB);
        check(tickNanos >= TimeUnit.MICROSECONDS.toNanos(50) && tickNanos <= TimeUnit.SECONDS.toNanos(1), "tick",
                "must be 50us..1s, got " + tickNanos + " ns");
        check(rtoTicks >= 1 && rtoTicks <= 60_000, "rto", "must be 1..60000 ticks, got " + rtoTicks);
        check(rtoMaxTicks >= rtoTicks && rtoMaxTicks <= 600_000, "rto.max", "must be rto (" + rtoTicks
                + ") .. 600000 ticks, got " + rtoMaxTicks);
        check(retries >= 1 && retries <= 64, "retries", "must be 1..64, got " + retries);
        check(delackTicks >= 1 && delackTicks <= 1000, "delack", "must be 1..1000 ticks, got " + delackTicks);
        check(msl2Ticks >= 1 && msl2Ticks <= 600_000, "msl2", "must be 1..600000 ticks, got " + msl2Ticks);
        check(backlog >= 1 && backlog <= 65535, "backlog", "must be 1..65535 connections, got " + backlog);
        check(batch >= 1 && batch <= 65536, "batch", "must be 1..65536 messages, got " + batch);
        check(pcbLocks >= 1 && pcbLocks <= 4096 && Integer.bitCount(pcbLocks) == 1, "pcb.locks",
                "must be a power of two from 1 to 4096, got " + pcbLocks);
    }

    private static void check(boolean ok, String key, String why) {
        if (!ok) {
            throw new IllegalArgumentException("net setting '" + key + "' " + why);
        }
    }

    /** Defaults for {@code design}. */
    public static Builder builder(NetDesign design) {
        return new Builder(design);
    }

    /** Builds a {@link NetConfig}; validation happens at {@link #build()}. */
    public static final class Builder {
        private final NetDesign design;
        private int mss = 1460;
        private int window = 8192;
        private long tickNanos = TimeUnit.MILLISECONDS.toNanos(1);
        private int rtoTicks = 30;
        private int rtoMaxTicks = 640;
        private int retries = 12;
        private int delackTicks = 2;
        private int msl2Ticks = 20;
        private int backlog = 512;
        private Boolean ackRollup;
        private int batch = 512;
        private WireFaults faults = WireFaults.NONE;
        private LockKind lock = LockKind.REENTRANT;
        private int pcbLocks = 256;
        private Clock clock = Clock.HARDCLOCK;
        private String slab = "message-cas";
        private int slabArenaMiB = 128;
        private boolean lportRss = true;

        private Builder(NetDesign design) {
            this.design = design;
        }

        public Builder mss(int v) {
            mss = v;
            return this;
        }

        public Builder window(int v) {
            window = v;
            return this;
        }

        public Builder tickNanos(long v) {
            tickNanos = v;
            return this;
        }

        public Builder rtoTicks(int v) {
            rtoTicks = v;
            return this;
        }

        public Builder rtoMaxTicks(int v) {
            rtoMaxTicks = v;
            return this;
        }

        public Builder retries(int v) {
            retries = v;
            return this;
        }

        public Builder delackTicks(int v) {
            delackTicks = v;
            return this;
        }

        public Builder msl2Ticks(int v) {
            msl2Ticks = v;
            return this;
        }

        public Builder backlog(int v) {
            backlog = v;
            return this;
        }

        /** Aggregate owed ACKs per batch (default: on for message, off for mutex). */
        public Builder ackRollup(boolean v) {
            ackRollup = v;
            return this;
        }

        public Builder batch(int v) {
            batch = v;
            return this;
        }

        public Builder faults(WireFaults v) {
            faults = v;
            return this;
        }

        public Builder lock(LockKind v) {
            lock = v;
            return this;
        }

        public Builder pcbLocks(int v) {
            pcbLocks = v;
            return this;
        }

        public Builder clock(Clock v) {
            clock = v;
            return this;
        }

        public Builder slab(String v) {
            slab = v;
            return this;
        }

        public Builder slabArenaMiB(int v) {
            slabArenaMiB = v;
            return this;
        }

        /** True (default): connect picks a local port hashing to its CPU; false: any free port. */
        public Builder lportRss(boolean v) {
            lportRss = v;
            return this;
        }

        /**
         * Sets one value by name ({@link #KEYS}), as {@code bin/lab run --set key=value} does.
         *
         * @throws IllegalArgumentException naming the setting and what it accepts
         */
        public Builder set(String key, String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            try {
                switch (key) {
                    case "mss" -> mss = Integer.parseInt(v);
                    case "window" -> window = Integer.parseInt(v);
                    case "tick" -> tickNanos = parseNanos(v);
                    case "rto" -> rtoTicks = Integer.parseInt(v);
                    case "rto.max" -> rtoMaxTicks = Integer.parseInt(v);
                    case "retries" -> retries = Integer.parseInt(v);
                    case "delack" -> delackTicks = Integer.parseInt(v);
                    case "msl2" -> msl2Ticks = Integer.parseInt(v);
                    case "backlog" -> backlog = Integer.parseInt(v);
                    case "acks" -> ackRollup = switch (v) {
                        case "rollup" -> true;
                        case "immediate" -> false;
                        default -> throw new IllegalArgumentException("net setting 'acks' must be rollup or immediate, got '" + value + "'");
                    };
                    case "batch" -> batch = Integer.parseInt(v);
                    case "loss" -> faults = faults.withLoss(Double.parseDouble(v));
                    case "reorder" -> faults = faults.withReorder(Double.parseDouble(v));
                    case "reorder.depth" -> faults = faults.withReorderDepth(Integer.parseInt(v));
                    case "dup" -> faults = faults.withDup(Double.parseDouble(v));
                    case "corrupt" -> faults = faults.withCorrupt(Double.parseDouble(v));
                    case "wire.seed" -> faults = faults.withSeed(Long.parseLong(v));
                    case "lock" -> lock = LockKind.parse(v);
                    case "pcb.locks" -> pcbLocks = Integer.parseInt(v);
                    case "clock" -> clock = switch (v) {
                        case "hardclock" -> Clock.HARDCLOCK;
                        case "poll" -> Clock.POLL;
                        default -> throw new IllegalArgumentException("net setting 'clock' must be hardclock or poll, got '" + value + "'");
                    };
                    case "slab" -> slab = v;
                    case "slab.arena" -> slabArenaMiB = Integer.parseInt(v);
                    case "lport" -> lportRss = switch (v) {
                        case "rss" -> true;
                        case "any" -> false;
                        default -> throw new IllegalArgumentException("net setting 'lport' must be rss or any, got '" + value + "'");
                    };
                    default -> throw new IllegalArgumentException("'" + key + "' is not a net setting; valid settings: "
                            + String.join(", ", KEYS));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("net setting '" + key + "' has a bad value '" + value + "'; expected a number"
                        + (key.equals("tick") ? " with a unit (500us, 1ms)" : ""));
            }
            return this;
        }

        private static long parseNanos(String v) {
            long mul;
            String num;
            if (v.endsWith("ns")) {
                mul = 1;
                num = v.substring(0, v.length() - 2);
            } else if (v.endsWith("us")) {
                mul = 1_000;
                num = v.substring(0, v.length() - 2);
            } else if (v.endsWith("ms")) {
                mul = 1_000_000;
                num = v.substring(0, v.length() - 2);
            } else if (v.endsWith("s")) {
                mul = 1_000_000_000;
                num = v.substring(0, v.length() - 1);
            } else {
                throw new NumberFormatException(v);
            }
            return Long.parseLong(num.trim()) * mul;
        }

        /** Validates and builds. */
        public NetConfig build() {
            boolean rollup = ackRollup != null ? ackRollup : design == NetDesign.MESSAGE;
            return new NetConfig(design, mss, window, tickNanos, rtoTicks, rtoMaxTicks, retries, delackTicks, msl2Ticks, backlog,
                    rollup, batch, faults, lock, pcbLocks, clock, slab, slabArenaMiB, lportRss);
        }
    }
}
