package org.lwktlab.examples.kv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.lwktlab.lab.experiment.Check;
import org.lwktlab.lab.experiment.LoadRecorder;
import org.lwktlab.lab.experiment.Trial;
import org.lwktlab.lab.experiment.Workload;

/**
 * One client thread per CPU, closed loop. Each client reads any key but writes only keys of its own
 * range, remembering the last value it put — so after the run every key's value is known, and
 * {@link #verify()} checks the store lost no write.
 */
final class KvWorkload implements Workload {
    private final KvStore store;
    private final Client[] clients;
    private volatile boolean stop;

    private final class Client extends Thread {
        final KvStore.Session session;
        final LoadRecorder rec;
        final SplittableRandom rnd;
        final long lo;
        final long[] last;
        final int keys;
        final int reads;

        Client(int id, Trial t, int keys, int reads, long lo, long hi) {
            super("kv-client-" + id);
            setDaemon(true);
            this.session = store.session();
            this.rec = t.recorder("client" + id);
            this.rnd = t.random(id);
            this.lo = lo;
            this.last = new long[(int) (hi - lo)];
            Arrays.fill(last, KvStore.MISSING);
            this.keys = keys;
            this.reads = reads;
        }

        @Override
        public void run() {
            while (!stop) {
                long t0 = System.nanoTime();
                if (rnd.nextInt(100) < reads || last.length == 0) {
                    session.get(rnd.nextInt(keys));
                } else {
                    int i = rnd.nextInt(last.length);
                    long v = rnd.nextLong(Long.MAX_VALUE);
                    session.put(lo + i, v);
                    last[i] = v;
                }
                rec.record(System.nanoTime() - t0);
            }
        }
    }

    KvWorkload(Trial t, KvStore store, int keys, int reads) {
        this.store = store;
        int n = t.cpus();
        clients = new Client[n];
        for (int c = 0; c < n; c++) {
            long lo = (long) keys * c / n;
            long hi = (long) keys * (c + 1) / n;
            clients[c] = new Client(c, t, keys, reads, lo, hi);
        }
    }

    @Override
    public void start() {
        for (Client c : clients) {
            c.start();
        }
    }

    @Override
    public void stop() throws InterruptedException {
        stop = true;
        for (Client c : clients) {
            c.join(30_000);
            if (c.isAlive()) {
                throw new IllegalStateException(c.getName() + " did not stop within 30 s");
            }
        }
    }

    @Override
    public List<Check> verify() {
        KvStore.Session s = store.session();
        long wrong = 0;
        long checked = 0;
        String first = null;
        for (Client c : clients) {
            for (int i = 0; i < c.last.length; i++) {
                long got = s.get(c.lo + i);
                checked++;
                if (got != c.last[i]) {
                    wrong++;
                    if (first == null) {
                        first = "key " + (c.lo + i) + ": expected " + c.last[i] + ", got " + got;
                    }
                }
            }
        }
        return List.of(new Check("every key holds the last value its writer put", wrong == 0,
                checked + " keys checked" + (first == null ? "" : ", " + wrong + " wrong, first " + first)));
    }

    @Override
    public List<Check> shutdown() {
        List<String> problems = store.shutdown();
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("store shut down clean", problems.isEmpty(),
                problems.isEmpty() ? "no problems" : String.join("; ", problems)));
        return checks;
    }
}
