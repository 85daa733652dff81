package org.lwktlab.lab.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.lwktlab.lab.experiment.Check;
import org.lwktlab.lab.experiment.Experiment;
import org.lwktlab.lab.experiment.LoadRecorder;
import org.lwktlab.lab.experiment.Param;
import org.lwktlab.lab.experiment.Trial;
import org.lwktlab.lab.experiment.Workload;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.lock.LockKind;
import org.lwktlab.slab.Slab;
import org.lwktlab.vfs.DirBuffer;
import org.lwktlab.vfs.Vfs;
import org.lwktlab.vfs.VfsError;
import org.lwktlab.vfs.VfsRequest;
import org.lwktlab.vfs.VfsSession;

/**
 * A metadata-heavy file-server mix: N clients, each an LWKT thread, create, write, read, stat, list,
 * unlink and rename their files over a two-level directory tree shared by all. {@code message} sends
 * every vnode operation to the CPU owning the vnode (paths walk from CPU to CPU); {@code mutex} runs it on
 * the client's CPU under the name-cache lock and vnode locks. Reports ops/s and latency per operation
 * type, with the probes that explain them: walk hops and name-lock waits (message), lock acquisitions and
 * contention (mutex).
 */
public final class VfsMix implements Experiment {
    static final String[] TYPES = {"create", "write", "read", "stat", "readdir", "unlink", "rename"};
    static final int CREATE = 0;
    static final int WRITE = 1;
    static final int READ = 2;
    static final int STAT = 3;
    static final int READDIR = 4;
    static final int UNLINK = 5;
    static final int RENAME = 6;

    @Override
    public String name() {
        return "vfs-mix";
    }

    @Override
    public String question() {
        return "For a mix of file operations over a shared tree, is it faster to send each vnode operation to "
                + "the CPU owning the vnode, or to run it in place under name-cache and vnode locks?";
    }

    @Override
    public List<String> designs() {
        return VfsRig.DESIGNS;
    }

    @Override
    public List<String> deterministicDesigns() {
        return VfsRig.DETERMINISTIC;
    }

    @Override
    public List<String> defaultDesigns() {
        return List.of("message", "mutex");
    }

    @Override
    public List<Param> params() {
        return List.of(
                new Param("clients", "0", "load-generating clients (LWKT threads, round robin over CPUs); 0 = 2 per CPU"),
                new Param("width", "4", "directories per level of the two-level tree (width^2 leaf directories)"),
                new Param("files", "32", "files each client keeps (creates beyond it unlink instead)"),
                new Param("io", "4096", "bytes per read and write"),
                new Param("mix", "create=10,write=15,read=25,stat=25,readdir=5,unlink=10,rename=10",
                        "operation weights: " + String.join(", ", TYPES)),
                new Param("lock", "reentrant", "mutex design's name-cache and rename lock: " + String.join(", ", LockKind.ids())),
                new Param("slab", "message", "page allocator design (the same for every VFS design): "
                        + String.join(", ", Slab.DESIGNS)));
    }

    @Override
    public Workload prepare(Trial t) {
        int clients = t.intParam("clients", 0);
        if (clients == 0) {
            clients = 2 * t.cpus();
        }
        int width = t.intParam("width", 1);
        int files = t.intParam("files", 1);
        int io = t.intParam("io", 1);
        if (io > VfsSession.MAX_IO) {
            throw new IllegalArgumentException("--set io=" + io + ": at most " + VfsSession.MAX_IO);
        }
        int[] weights = parseMix(t.param("mix"));
        LockKind lock = LockKind.parse(t.param("lock"));
        String slab = t.choiceParam("slab", Slab.DESIGNS);
        return new Mix(t, clients, width, files, io, weights, lock, slab);
    }

    static int[] parseMix(String s) {
        int[] w = new int[TYPES.length];
        for (String part : s.split(",")) {
            String[] kv = part.trim().split("=");
            int idx = kv.length == 2 ? List.of(TYPES).indexOf(kv[0].trim().toLowerCase(Locale.ROOT)) : -1;
            if (idx < 0) {
                throw new IllegalArgumentException("--set mix=" + s + ": expected type=weight pairs, types "
                        + String.join(", ", TYPES) + "; got '" + part + "'");
            }
            try {
                w[idx] = Integer.parseInt(kv[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--set mix=" + s + ": weight of " + kv[0] + " is not an integer");
            }
            if (w[idx] < 0) {
                throw new IllegalArgumentException("--set mix=" + s + ": weights must be >= 0");
            }
        }
        int sum = 0;
        for (int x : w) {
            sum += x;
        }
        if (sum == 0) {
            throw new IllegalArgumentException("--set mix=" + s + ": at least one weight must be positive");
        }
        return w;
    }

    private static final class Mix extends VfsWorkload<MixClient> {
        private final int width;

        Mix(Trial t, int nclients, int width, int files, int io, int[] weights, LockKind lock, String slab) {
            super(t, new VfsRig(t, slab, lock, arenaFor(nclients, files, io)), TYPES, nclients, "lwkt_");
            this.width = width;
            try {
                VfsSession setup = rig.vfs.session("setup", null);
                for (int i = 0; i < width; i++) {
                    check(setup.mkdir("/d" + i), "/d" + i);
                    for (int j = 0; j < width; j++) {
                        check(setup.mkdir("/d" + i + "/s" + j), "/d" + i + "/s" + j);
                    }
                }
                for (int c = 0; c < nclients; c++) {
                    clients.add(new MixClient(c, this, files, io, weights, t.random(c), t.recorder("client" + c)));
                }
            } catch (RuntimeException e) {
                rig.shutdown();
                throw e;
            }
        }

        private static long arenaFor(int nclients, int files, int io) {
            long need = (long) nclients * files * ((io + 8191L) / 4096 + 1) * 4096 * 4 + (8L << 20);
            return Math.max(64L << 20, need / (64 * 1024) * (64 * 1024));
        }

        private static void check(VfsError e, String what) {
            if (e != VfsError.OK) {
                throw new IllegalStateException("vfs-mix setup: " + what + ": " + e);
            }
        }

        String leaf(SplittableRandom rnd) {
            return "/d" + rnd.nextInt(width) + "/s" + rnd.nextInt(width);
        }

        @Override
        public List<Check> verify() {
            List<Check> checks = new ArrayList<>();
            checks.add(noUnexpectedErrors());
            long files = 0;
            for (MixClient c : clients) {
                files += c.live.size();
            }
            VfsSession v = rig.vfs.session("verify", null);
            long found = 0;
            boolean listed = true;
            for (int i = 0; i < width && listed; i++) {
                for (int j = 0; j < width && listed; j++) {
                    String d = "/d" + i + "/s" + j;
                    String cursor = null;
                    while (true) {
                        if (v.readdir(d, cursor) != VfsError.OK) {
                            listed = false;
                            break;
                        }
                        DirBuffer b = v.request().dirBuffer();
                        found += b.count();
                        if (b.end()) {
                            break;
                        }
                        cursor = b.cursor();
                    }
                }
            }
            checks.add(new Check("every leaf directory lists", listed, ""));
            checks.add(Check.equal("files in the tree = files the clients hold", files, found));
            long dirs = 1 + width + (long) width * width;
            checks.add(Check.equal("live inodes = directories + files (none lost or leaked)", dirs + files, rig.vfs.liveInodes()));
            boolean ok = true;
            for (MixClient c : clients) {
                for (int i = 0; i < c.live.size() && ok; i++) {
                    ok = v.getattr(c.live.get(i)) == VfsError.OK;
                }
            }
            checks.add(new Check("every file a client holds is at the path it expects", ok, ""));
            return checks;
        }

        @Override
        public Map<String, Double> metrics(long ops) {
            Map<String, Double> m = new LinkedHashMap<>(window.perType());
            double secs = window.seconds();
            long vops = window.counterDelta("lwkt_vfs_vop_total");
            long userOps = 0;
            for (int t = 0; t < TYPES.length; t++) {
                userOps += Math.round(m.getOrDefault(TYPES[t] + "_ops_per_s", 0.0) * secs);
            }
            if (userOps > 0) {
                m.put("vops_per_op", (double) vops / userOps);
                m.put("walk_hops_per_op", (double) window.counterDelta("lwkt_vfs_walk_hops_total") / userOps);
                m.put("namelock_waits_per_op", (double) window.counterDelta("lwkt_vfs_namelock_waits_total") / userOps);
                long hits = window.counterDelta("lwkt_vfs_namecache_hits_total")
                        + window.counterDelta("lwkt_vfs_namecache_negative_hits_total");
                long lookups = hits + window.counterDelta("lwkt_vfs_namecache_misses_total");
                if (lookups > 0) {
                    m.put("namecache_hit_ratio", (double) hits / lookups);
                }
                long acq = window.counterDelta("lwkt_lock_acquisitions_total");
                if (acq > 0) {
                    m.put("lock_acquisitions_per_op", (double) acq / userOps);
                    m.put("lock_contended_ratio", (double) window.counterDelta("lwkt_lock_contended_total") / acq);
                }
            }
            return m;
        }
    }

    /** One client: its files (path and open descriptor), the operation in progress and its step. */
    private static final class MixClient extends VfsLoadClient {
        private final Mix mix;
        private final int files;
        private final int[] cumulative;
        private final SplittableRandom rnd;
        private final LoadRecorder rec;
        private final byte[] buf;
        final List<String> live = new ArrayList<>();
        private final List<Integer> fds = new ArrayList<>();
        private int op = -1;
        private int step;
        private int target;
        private String pending;
        private long started;
        private long seq;

        MixClient(int id, Mix mix, int files, int io, int[] weights, SplittableRandom rnd, LoadRecorder rec) {
            super(id, mix.rig.kernel, mix.rig.vfs, mix.drained);
            this.mix = mix;
            this.files = files;
            this.rnd = rnd;
            this.rec = rec;
            this.buf = new byte[io];
            rnd.nextBytes(buf);
            cumulative = new int[weights.length];
            int s = 0;
            for (int i = 0; i < weights.length; i++) {
                s += weights[i];
                cumulative[i] = s;
            }
        }

        @Override
        boolean betweenOps() {
            return op < 0;
        }

        private int pick() {
            int x = rnd.nextInt(cumulative[cumulative.length - 1]);
            int t = 0;
            while (x >= cumulative[t]) {
                t++;
            }
            if (live.isEmpty() && t != READDIR) {
                return CREATE;
            }
            if (t == CREATE && live.size() >= files) {
                return UNLINK;
            }
            return t;
        }

        @Override
        void prepare(VfsRequest r) {
            if (op < 0) {
                op = pick();
                step = 0;
                started = Lwkt.nanoTime();
                target = live.isEmpty() ? -1 : rnd.nextInt(live.size());
            }
            switch (op) {
                case CREATE -> {
                    if (step == 0) {
                        pending = mix.leaf(rnd) + "/c" + id + "n" + (seq++);
                        r.create(pending);
                    } else {
                        r.open(pending, Vfs.O_RDWR);
                    }
                }
                case WRITE -> r.write(fds.get(target), (long) rnd.nextInt(16) * buf.length, buf, 0, buf.length);
                case READ -> r.read(fds.get(target), (long) rnd.nextInt(16) * buf.length, buf, 0, buf.length);
                case STAT -> r.getattr(live.get(target));
                case READDIR -> r.readdir(mix.leaf(rnd), null);
                case UNLINK -> {
                    if (step == 0) {
                        r.close(fds.get(target));
                    } else {
                        r.unlink(live.get(target));
                    }
                }
                default -> {
                    pending = mix.leaf(rnd) + "/c" + id + "n" + (seq++);
                    r.rename(live.get(target), pending);
                }
            }
        }

        @Override
        void completed(VfsRequest r) {
            if (r.status() != VfsError.OK) {
                unexpected(r);
                finishOp();
                return;
            }
            switch (op) {
                case CREATE -> {
                    if (step == 0) {
                        step = 1;
                        return;
                    }
                    live.add(pending);
                    fds.add((int) r.value());
                }
                case UNLINK -> {
                    if (step == 0) {
                        step = 1;
                        return;
                    }
                    live.remove(target);
                    fds.remove(target);
                }
                case RENAME -> live.set(target, pending);
                default -> { }
            }
            finishOp();
        }

        private void finishOp() {
            long now = Lwkt.nanoTime();
            rec.record(now - started);
            mix.window.record(id, op, now - started);
            op = -1;
        }
    }
}
