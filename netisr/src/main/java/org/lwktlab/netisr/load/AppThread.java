package org.lwktlab.netisr.load;

import java.util.Objects;
import org.lwktlab.lwkt.CallbackPort;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.netisr.NetStack;
import org.lwktlab.netisr.SockReq;

/**
 * A "user process" inside the kernel: an LWKT thread at user priority on one CPU that runs
 * {@link Flow}s. Socket-call replies arrive on its callback port and run the flow's
 * {@link Flow#replied} — the non-blocking equivalent of a process blocked in a system call.
 *
 * <p>{@link #start} may be called from any thread (it sends the flow to the app thread's port, a local
 * enqueue from its own CPU, an IPI or submission otherwise).
 */
public final class AppThread {
    final NetStack stack;
    final LwktThread td;
    final CallbackPort replies;

    private AppThread(NetStack stack, int cpu, String name) {
        this.stack = Objects.requireNonNull(stack, "stack");
        this.td = LwktThread.builder(name).priority(LwktThread.PRI_USER).handler(AppThread::started)
                .spawn(stack.kernel(), cpu);
        this.replies = td.callbackPort(name + "-replies", r -> ((Flow) r.payload()).replied((SockReq) r));
    }

    /** An app thread on CPU {@code cpu}. Any thread. */
    public static AppThread spawn(NetStack stack, int cpu, String name) {
        return new AppThread(stack, cpu, name);
    }

    /** One app thread per CPU of the stack's kernel, named {@code prefix0..}. */
    public static AppThread[] perCpu(NetStack stack, String prefix) {
        AppThread[] a = new AppThread[stack.kernel().ncpus()];
        for (int c = 0; c < a.length; c++) {
            a[c] = spawn(stack, c, prefix + c);
        }
        return a;
    }

    private static void started(Message m) {
        Flow f = (Flow) m.payload();
        Lwkt.replymsg(m, Errno.OK);
        f.start();
    }

    /**
     * Hands {@code f} to this thread, which (re)starts it. Any thread. A running flow may move itself to
     * another app thread this way between calls (with no call in flight); its {@link Flow#start} then
     * runs again, there.
     */
    public void start(Flow f) {
        f.app = this;
        Lwkt.sendmsg(td.port(), f.startMsg);
    }

    /** The CPU it runs on. */
    public int cpu() {
        return td.cpu().id();
    }

    public NetStack stack() {
        return stack;
    }
}
