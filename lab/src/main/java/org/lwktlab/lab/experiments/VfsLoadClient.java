package org.lwktlab.lab.experiments;

import java.util.concurrent.atomic.AtomicInteger;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.MessageHandler;
import org.lwktlab.lwkt.NullPort;
import org.lwktlab.vfs.Vfs;
import org.lwktlab.vfs.VfsRequest;
import org.lwktlab.vfs.VfsSession;

/**
 * A VFS load generator that runs inside the kernel as an LWKT "user" thread (priority
 * {@link LwktThread#PRI_USER}, below the vnode servers): closed loop, one request in flight. In the message
 * design each request goes out as a message and the loop continues in the reply; in the mutex design the
 * request runs in place, so the loop runs up to {@link #BATCH} requests and then yields by sending itself a
 * message, letting the CPU drain its IPIs and run other threads.
 *
 * <p><b>Threads.</b> Everything but {@link #stop()} and the drained count runs on the client's CPU.
 */
abstract class VfsLoadClient implements MessageHandler {
    static final int BATCH = 64;

    final int id;
    final LwktThread td;
    final VfsSession session;
    final VfsRequest req;
    private final Message cont;
    private final AtomicInteger drained;
    private volatile boolean stop;
    private boolean done;
    /** Requests that ended in an error the workload did not expect. */
    long unexpected;
    String firstUnexpected;

    VfsLoadClient(int id, Kernel k, Vfs vfs, AtomicInteger drained) {
        this.id = id;
        this.drained = drained;
        this.td = LwktThread.builder("vfs-client-" + id).priority(LwktThread.PRI_USER).handler(this)
                .spawn(k, id % k.ncpus());
        this.session = vfs.session("client-" + id, td.port());
        this.req = session.request();
        this.cont = new Message(NullPort.get());
    }

    /** Sets {@code r} up for the next request (starting a new operation or continuing the current one). */
    abstract void prepare(VfsRequest r);

    /** {@code r} completed (its result is ready). */
    abstract void completed(VfsRequest r);

    /** True between operations: the client may stop here. */
    abstract boolean betweenOps();

    void unexpected(VfsRequest r) {
        unexpected++;
        if (firstUnexpected == null) {
            firstUnexpected = r + " -> " + r.status();
        }
    }

    void start() {
        Lwkt.sendmsg(td.port(), cont);
    }

    void stop() {
        stop = true;
    }

    @Override
    public void handle(Message m) {
        if (m == req) {
            session.complete(req);
            completed(req);
        } else {
            Lwkt.replymsg(m, 0);
        }
        run();
    }

    private void run() {
        for (int budget = BATCH; budget > 0; budget--) {
            if (done) {
                return;
            }
            if (stop && betweenOps()) {
                done = true;
                drained.incrementAndGet();
                return;
            }
            prepare(req);
            if (!session.submit(req)) {
                return;
            }
            completed(req);
        }
        if (cont.isDone()) {
            Lwkt.sendmsg(td.port(), cont);
        }
    }
}
