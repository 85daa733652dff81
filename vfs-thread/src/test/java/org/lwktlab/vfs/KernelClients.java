package org.lwktlab.vfs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.NullPort;

/**
 * In-kernel clients for tests: one LWKT thread per script, each on its own CPU (round robin), running
 * its operations one after another — asynchronously in the message design (continuing in the reply),
 * in place in the mutex design — and recording every outcome.
 */
final class KernelClients {
    record Outcome(VfsError status, long value) {}

    private KernelClients() {}

    static List<List<Outcome>> run(Fixture f, List<List<Consumer<VfsRequest>>> scripts) {
        int n = scripts.size();
        CountDownLatch done = new CountDownLatch(n);
        List<List<Outcome>> results = new ArrayList<>();
        LwktThread[] tds = new LwktThread[n];
        for (int c = 0; c < n; c++) {
            List<Consumer<VfsRequest>> ops = scripts.get(c);
            List<Outcome> out = new ArrayList<>();
            results.add(out);
            VfsSession[] session = new VfsSession[1];
            int[] next = {0};
            tds[c] = LwktThread.builder("test-client-" + c).handler(m -> {
                if (m instanceof VfsRequest r) {
                    session[0].complete(r);
                    out.add(new Outcome(r.status(), r.value()));
                    next[0]++;
                } else {
                    Lwkt.replymsg(m, 0);
                }
                while (next[0] < ops.size()) {
                    VfsRequest r = session[0].request();
                    ops.get(next[0]).accept(r);
                    if (!session[0].submit(r)) {
                        return;
                    }
                    out.add(new Outcome(r.status(), r.value()));
                    next[0]++;
                }
                done.countDown();
            }).spawn(f.kernel, c % f.kernel.ncpus());
            session[0] = f.vfs.session("test-client-" + c, tds[c].port());
        }
        for (LwktThread td : tds) {
            Lwkt.sendmsg(td.port(), new Message(NullPort.get()));
        }
        try {
            if (!done.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError(f.design + ": clients did not finish within 60 s (deadlock?); "
                        + done.getCount() + " of " + n + " still running");
            }
        } catch (InterruptedException e) {
            throw new AssertionError("interrupted", e);
        }
        return results;
    }
}
