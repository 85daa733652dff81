package org.lwktlab.netisr;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.lwktlab.netisr.inet.Ip4Tcp;

/**
 * A socket: the user's handle on a connection or a listener. Calls on it are {@link SockReq}s given to
 * {@link NetStack#submit}.
 *
 * <p><b>Ownership.</b> Everything but {@link #cpu} is touched only by whoever owns the connection: in
 * the message design the netisr of the CPU the socket lives on ({@code so_port}); in the mutex design
 * the holder of its PCB lock. {@code cpu} is the one field other threads read: in the message design
 * it says where to send calls, is written (release) by the owning netisr when a {@code connect} moves
 * the socket to the CPU its 4-tuple hashes to, and read (acquire) by callers — a caller that read the
 * old value reaches the old CPU, which forwards the call (stragglers, dragonfly.md §6). In the mutex
 * design it is the CPU whose netisr runs calls made from outside the kernel.
 */
public final class Socket {
    private static final VarHandle CPU;

    static {
        try {
            CPU = MethodHandles.lookup().findVarHandle(Socket.class, "cpu", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final NetStack stack;
    final Host host;
    final long id;
    @SuppressWarnings("unused") // through CPU
    private int cpu;

    // Owner-only state (see the class comment).
    Tcpcb pcb;
    Listener listener;
    /** The user called close(): every later call is EBADF. */
    boolean userClosed;
    /** The error the connection died of (ECONNRESET, ETIMEDOUT, ECONNREFUSED), reported by later calls. */
    int error;
    /** Why {@link #error}, for the reply's detail. */
    String errorWhy;
    /**
     * The CPU its connection's packets arrive on (RSS), once connected or accepted; -1 before. The same in
     * both designs (in the message design it is also where the socket lives), so a workload can place its
     * thread by it without knowing the design.
     */
    volatile int rssCpu = -1;
    /** Ports and address, set once when connected or accepted (read by toString from any thread). */
    volatile int lport;
    volatile int faddr;
    volatile int fport;
    /** The message an accepted connection is handed to its listener's CPU with (message design). */
    final NetCtl ctl;

    Socket(NetStack stack, Host host, long id, int cpu) {
        this.stack = stack;
        this.host = host;
        this.id = id;
        this.cpu = cpu;
        this.ctl = new NetCtl(this);
    }

    /** The host the socket is on. */
    public Host host() {
        return host;
    }

    /** The CPU the socket lives on now (message design: where its PCB is; may change once, at connect). */
    public int cpu() {
        return (int) CPU.getAcquire(this);
    }

    void moveTo(int newCpu) {
        CPU.setRelease(this, newCpu);
    }

    /** The CPU this connection's packets arrive on (its RSS queue), or -1 before connect/accept. */
    public int rssCpu() {
        return rssCpu;
    }

    /** The local port, or 0 before listen/connect. */
    public int localPort() {
        return lport;
    }

    /** The peer's port, or 0 when not connected. */
    public int remotePort() {
        return fport;
    }

    @Override
    public String toString() {
        int lp = lport;
        int fp = fport;
        return "socket#" + id + "[" + host.name() + " " + Ip4Tcp.addr(host.addr()) + ":" + lp
                + (fp != 0 ? " -> " + Ip4Tcp.addr(faddr) + ":" + fp : "") + "]";
    }
}
