package org.lwktlab.lab.experiments;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
import org.lwktlab.vfs.PageMemory;
import org.lwktlab.vfs.Vfs;
import org.lwktlab.vfs.VfsError;
import org.lwktlab.vfs.VfsRequest;
import org.lwktlab.vfs.VfsSession;
import org.lwktlab.vfs.Xio;

/**
 * Large sequential I/O: each client (an LWKT thread) writes its own file from start to end in chunks,
 * then reads it back, over and over, checksumming every chunk it reads. It measures what XIO is for:
 * megabytes per second and bytes copied per byte delivered — {@code message} passes page references
 * (one copy, at the user edge; none with {@code consume=direct}, where the reader checksums the pages in
 * place), {@code message-copy} copies at the syscall and filesystem layers as UIO did across a thread
 * boundary, {@code mutex} copies once under the vnode lock.
 */
public final class VfsStream implements Experiment {
    static final String[] TYPES = {"write", "read"};
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    @Override
    public String name() {
        return "vfs-stream";
    }

    @Override
    public String question() {
        return "Moving file data by page reference (XIO) instead of copying at each layer: how many bytes are "
                + "copied per byte delivered, and what does it do to throughput?";
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
    public List<Param> params() {
        return List.of(
                new Param("clients", "0", "clients (LWKT threads, one file each, round robin over CPUs); 0 = 1 per CPU"),
                new Param("file", "4194304", "bytes per file (a multiple of chunk)"),
                new Param("chunk", "65536", "bytes per read or write: a multiple of 4096, at most " + VfsSession.MAX_IO),
                new Param("op", "both", "write, read, or both (write the file, then read it back, repeat)"),
                new Param("consume", "copy", "how readers take the data: copy (into a user buffer) or direct (pages in place)"),
                new Param("lock", "reentrant", "mutex design's name-cache and rename lock: " + String.join(", ", LockKind.ids())),
                new Param("slab", "message", "page allocator design (the same for every VFS design): "
                        + String.join(", ", Slab.DESIGNS)));
    }

    @Override
    public Workload prepare(Trial t) {
        int clients = t.intParam("clients", 0);
        if (clients == 0) {
            clients = t.cpus();
        }
        int chunk = t.intParam("chunk", PageMemory.PAGE_SIZE);
        if (chunk % PageMemory.PAGE_SIZE != 0 || chunk > VfsSession.MAX_IO) {
            throw new IllegalArgumentException("--set chunk=" + chunk + ": must be a multiple of " + PageMemory.PAGE_SIZE
                    + " and at most " + VfsSession.MAX_IO);
        }
        int file = t.intParam("file", chunk);
        if (file % chunk != 0) {
            throw new IllegalArgumentException("--set file=" + file + ": must be a multiple of chunk (" + chunk + ")");
        }
        String op = t.choiceParam("op", List.of("write", "read", "both"));
        boolean direct = t.choiceParam("consume", List.of("copy", "direct")).equals("direct");
        LockKind lock = LockKind.parse(t.param("lock"));
        String slab = t.choiceParam("slab", Slab.DESIGNS);
        return new Stream(t, clients, file, chunk, op, direct, lock, slab);
    }

    /** A checksum of longs that does not depend on how the data is split. */
    static long mix(long v, long at) {
        return (v ^ at) * 0x9E3779B97F4A7C15L;
    }

    private static final class Stream extends VfsWorkload<StreamClient> {
        private final int chunk;

        Stream(Trial t, int nclients, int file, int chunk, String op, boolean direct, LockKind lock, String slab) {
            super(t, new VfsRig(t, slab, lock, arenaFor(nclients, file)), TYPES, nclients, "lwkt_vfs_");
            this.chunk = chunk;
            try {
                for (int c = 0; c < nclients; c++) {
                    clients.add(new StreamClient(c, this, file, chunk, op, direct, t.random(c), t.recorder("client" + c)));
                }
            } catch (RuntimeException e) {
                rig.shutdown();
                throw e;
            }
        }

        private static long arenaFor(int nclients, int file) {
            long need = (long) nclients * file * 3 + (16L << 20);
            return Math.max(64L << 20, (need + (64 << 10) - 1) / (64 << 10) * (64 << 10));
        }

        @Override
        public List<Check> verify() {
            List<Check> checks = new ArrayList<>();
            checks.add(noUnexpectedErrors());
            long bad = 0;
            for (StreamClient c : clients) {
                bad += c.badChunks;
            }
            checks.add(Check.equal("every chunk read back has the checksum of what was written", 0, bad));
            VfsSession v = rig.vfs.session("verify", null);
            boolean whole = true;
            byte[] buf = new byte[chunk];
            for (StreamClient c : clients) {
                int fd = v.open(c.path, Vfs.O_RDONLY);
                if (fd < 0) {
                    whole = false;
                    continue;
                }
                for (int k = 0; k < c.written && whole; k++) {
                    whole = v.read(fd, (long) k * chunk, buf, 0, chunk) == chunk && sum(buf, (long) k * chunk) == c.expected[k];
                }
                v.close(fd);
            }
            checks.add(new Check("each file reads back byte for byte as written (after the run)", whole, ""));
            return checks;
        }

        @Override
        public Map<String, Double> metrics(long ops) {
            Map<String, Double> m = new LinkedHashMap<>();
            double secs = window.seconds();
            Map<String, Double> per = window.perType();
            for (int t = 0; t < TYPES.length; t++) {
                double opsPerS = per.getOrDefault(TYPES[t] + "_ops_per_s", 0.0);
                m.put(TYPES[t] + "_mb_per_s", opsPerS * chunk / 1e6);
                if (per.containsKey(TYPES[t] + "_p50_us")) {
                    m.put(TYPES[t] + "_p50_us", per.get(TYPES[t] + "_p50_us"));
                    m.put(TYPES[t] + "_p99_us", per.get(TYPES[t] + "_p99_us"));
                }
            }
            long delivered = window.counterDelta("lwkt_vfs_bytes_delivered_total");
            m.put("mb_per_s", delivered / secs / 1e6);
            if (delivered > 0) {
                long user = window.counterDelta("lwkt_vfs_bytes_copied_total{layer=user}");
                long fs = window.counterDelta("lwkt_vfs_bytes_copied_total{layer=fs}");
                long cow = window.counterDelta("lwkt_vfs_bytes_copied_total{layer=cow}");
                double mb = delivered / 1e6;
                m.put("copied_per_byte", (double) (user + fs + cow) / delivered);
                m.put("copied_user_per_byte", (double) user / delivered);
                m.put("copied_fs_per_byte", (double) fs / delivered);
                m.put("copied_cow_per_byte", (double) cow / delivered);
                m.put("sfbuf_local_invalidations_per_mb", window.counterDelta("lwkt_vfs_sfbuf_local_invalidations_total") / mb);
                m.put("sfbuf_remote_invalidations_avoided_per_mb",
                        window.counterDelta("lwkt_vfs_sfbuf_remote_invalidations_avoided_total") / mb);
                m.put("sfbuf_installs_per_mb", window.counterDelta("lwkt_vfs_sfbuf_installs_total") / mb);
                m.put("walk_hops_per_mb", window.counterDelta("lwkt_vfs_walk_hops_total") / mb);
            }
            return m;
        }
    }

    static long sum(byte[] b, long fileOff) {
        return sum(b, 0, b.length, fileOff);
    }

    static long sum(byte[] b, int from, int len, long fileOff) {
        long s = 0;
        for (int i = 0; i < len; i += 8) {
            s += mix((long) LONGS.get(b, from + i), fileOff + i);
        }
        return s;
    }

    /** One client: its file, where it is, and the checksum of every chunk it wrote. */
    private static final class StreamClient extends VfsLoadClient {
        private final Stream stream;
        final String path;
        private final int fd;
        private final int chunks;
        private final int chunk;
        private final boolean writes;
        private final boolean reads;
        private final boolean direct;
        private final byte[] image;
        private final byte[] buf;
        private final LoadRecorder rec;
        final long[] expected;
        int written;
        private boolean writing;
        private int at;
        private long started;
        private boolean inOp;
        long badChunks;
        private long pageSum;
        private long pageOff;
        private final VfsSession.PageConsumer summer = this::sumPage;

        StreamClient(int id, Stream stream, int file, int chunk, String op, boolean direct, SplittableRandom rnd,
                     LoadRecorder rec) {
            super(id, stream.rig.kernel, stream.rig.vfs, stream.drained);
            this.stream = stream;
            this.chunk = chunk;
            this.chunks = file / chunk;
            this.direct = direct;
            this.rec = rec;
            this.path = "/stream-" + id;
            this.image = new byte[file];
            rnd.nextBytes(image);
            this.buf = new byte[chunk];
            this.expected = new long[chunks];
            writes = !op.equals("read");
            reads = !op.equals("write");
            if (session.create(path) != VfsError.OK) {
                throw new IllegalStateException("vfs-stream: cannot create " + path);
            }
            fd = session.open(path, Vfs.O_RDWR);
            if (fd < 0) {
                throw new IllegalStateException("vfs-stream: cannot open " + path + ": " + VfsError.ofResult(fd));
            }
            if (!writes) {
                for (int k = 0; k < chunks; k++) {
                    if (session.write(fd, (long) k * chunk, image, k * chunk, chunk) != chunk) {
                        throw new IllegalStateException("vfs-stream: cannot fill " + path);
                    }
                }
                written = chunks;
            }
            for (int k = 0; k < chunks; k++) {
                expected[k] = sum(image, k * chunk, chunk, (long) k * chunk);
            }
            writing = writes;
        }

        @Override
        boolean betweenOps() {
            return !inOp;
        }

        @Override
        void prepare(VfsRequest r) {
            inOp = true;
            started = Lwkt.nanoTime();
            long off = (long) at * chunk;
            if (writing) {
                r.write(fd, off, image, at * chunk, chunk);
            } else if (direct) {
                r.readPages(fd, off, chunk);
            } else {
                r.read(fd, off, buf, 0, chunk);
            }
        }

        @Override
        void completed(VfsRequest r) {
            inOp = false;
            long off = (long) at * chunk;
            if (r.status() != VfsError.OK || r.value() != chunk) {
                unexpected(r);
            } else if (writing) {
                written = Math.max(written, at + 1);
            } else {
                long s;
                if (direct) {
                    Xio x = r.xio();
                    pageSum = 0;
                    pageOff = off;
                    session.consume(x, summer);
                    session.release(r);
                    s = pageSum;
                } else {
                    s = sum(buf, off);
                }
                if (s != expected[at]) {
                    badChunks++;
                }
            }
            long now = Lwkt.nanoTime();
            rec.record(now - started);
            stream.window.record(id, writing ? 0 : 1, now - started);
            if (++at == chunks) {
                at = 0;
                writing = writes && (!reads || !writing);
            }
        }

        private void sumPage(PageMemory mem, long page, int off, int len) {
            for (int i = 0; i < len; i += 8) {
                pageSum += mix(mem.getLong(page, off + i), pageOff);
                pageOff += 8;
            }
        }
    }
}
