package org.lwktlab.lwkt;

/**
 * A message port ({@code lwkt_port}): where messages are sent ({@link #put}) and where replies go
 * ({@link #reply}). Each kind decides what those do, as DragonFly's port vtables do:
 * <ul>
 *   <li>{@link ThreadPort} — an LWKT thread's port ({@code td_msgport}), owned by one CPU;</li>
 *   <li>{@link CallbackPort} — replies run a continuation on the owning thread ({@code replyonly(fn)});</li>
 *   <li>{@link WaitPort} — replies wake a thread outside the kernel parked in {@code waitmsg};</li>
 *   <li>{@link NullPort} — a reply just completes the message ({@code replyonly_null}).</li>
 * </ul>
 */
public abstract class Port {
    private final String name;

    protected Port(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a port needs a name");
        }
        this.name = name;
    }

    /** The port's name (probes label it {@code port}). */
    public final String name() {
        return name;
    }

    /** The CPU that owns this port now, or null if it is not CPU-owned. */
    public abstract Cpu owner();

    /** Routes a request to this port (from {@code sendmsg}, {@code forwardmsg}). */
    abstract void put(Message msg);

    /** Routes a reply to this port, as the message's reply port (from {@code replymsg}). */
    abstract void reply(Message msg);

    /** On the owner CPU: takes a request that arrived. */
    void putLocal(Message msg) {
        throw new IllegalStateException("port " + name + " does not accept requests; " + msg + " was sent to it");
    }

    /** On the owner CPU: takes a reply that arrived. */
    void replyLocal(Message msg) {
        throw new IllegalStateException("port " + name + " does not take replies by IPI");
    }

    /** On the owner CPU: runs a message dequeued from the owning thread's queue. */
    void dispatch(Message msg) {
        throw new IllegalStateException("port " + name + " cannot dispatch " + msg);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + "]";
    }
}
