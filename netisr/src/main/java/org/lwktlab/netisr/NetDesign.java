package org.lwktlab.netisr;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** How the stack keeps its connections consistent across CPUs (DESIGN §3). */
public enum NetDesign {
    /**
     * DragonFly: each connection's PCB lives in the per-CPU table of the CPU its 4-tuple hashes to and
     * is touched only by that CPU's netisr; socket calls are messages to it. No locks.
     */
    MESSAGE("message"),
    /**
     * FreeBSD {@code pcbinfo} style: one global PCB hash under one lock plus a lock per PCB; packets are
     * processed on whichever CPU received them, socket calls on the caller's CPU.
     */
    MUTEX("mutex");

    private final String id;

    NetDesign(String id) {
        this.id = id;
    }

    /** The name on the command line. */
    public String id() {
        return id;
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(NetDesign::id).toList();
    }

    /** @throws IllegalArgumentException naming the valid designs */
    public static NetDesign parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        for (NetDesign d : values()) {
            if (d.id.equals(t)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown network design '" + s + "'; valid designs: " + String.join(", ", ids()));
    }
}
