package org.lwktlab.netisr;

/**
 * What the protocol code ({@link Tcp}) needs from a design: where PCBs are linked, how timers are
 * armed, and where an accepted connection goes. The message design answers with per-CPU structures
 * touched only by their CPU; the mutex design with global ones under locks. Every call is made by code
 * that owns {@code tp} (its netisr, or the holder of its PCB lock).
 */
interface TcpEnv {
    /** Links {@code tp} into its PCB table (it must not be there yet). */
    void attach(NetCpu c, Tcpcb tp);

    /** Unlinks {@code tp} from its PCB table. */
    void detach(NetCpu c, Tcpcb tp);

    /** Arms (or re-arms) callout {@code co} of a connection for tick {@code deadline}. */
    void arm(NetCpu c, Callout co, long deadline);

    /** Disarms callout {@code co}. */
    void cancel(NetCpu c, Callout co);

    /** A passive open reached ESTABLISHED: hand the connection to its listener's accept queue. */
    void established(NetCpu c, Tcpcb tp);
}
