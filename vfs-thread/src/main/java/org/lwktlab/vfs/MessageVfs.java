package org.lwktlab.vfs;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.lwktlab.ipi.IpiFunction;
import org.lwktlab.lwkt.Cpu;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.metrics.probe.Labels;

/**
 * The message design: one {@link VnodeServer} per CPU; vnode {@code ino} belongs to CPU
 * {@link #owner(long)}; a session's request is sent to the owner of its first vnode (the root for a
 * path, the file for a descriptor) and moves on from there.
 *
 * <p><b>Threads.</b> Sessions submit from their own thread (an LWKT thread on any CPU, or a thread
 * outside the kernel); all filesystem state lives in the servers.
 */
final class MessageVfs extends Vfs {
    /** The IPI that hands an XIO back to the CPU holding its pages (passive: it rides the next drain). */
    private static final IpiFunction RELEASE_IPI = (cpu, a, a2) -> {
        Xio x = (Xio) a;
        x.vfs.server(cpu).queueRelease(x);
    };

    final Kernel kernel;
    final int ncpus;
    final Labels labels;
    final DataMode dataMode;
    final VnodeServer[] servers;
    final AtomicLong abandoned = new AtomicLong();
    private final long zeroPage;
    private boolean closed;

    MessageVfs(Kernel kernel, PageMemory mem, VfsConfig config) {
        super(config, mem, kernel.probes());
        this.kernel = kernel;
        this.ncpus = kernel.ncpus();
        this.labels = Labels.of("vfs", config.name(), "design", "message");
        this.dataMode = config.dataMode();
        this.zeroPage = mem.alloc();
        if (zeroPage == 0) {
            throw new IllegalStateException("vfs '" + config.name() + "': no page memory for the zero page");
        }
        mem.zero(zeroPage, 0, PageMemory.PAGE_SIZE);
        this.servers = new VnodeServer[ncpus];
        for (int c = 0; c < ncpus; c++) {
            servers[c] = new VnodeServer(this, c, zeroPage);
            kernel.cpu(c).addStepHook(servers[c]);
            kernel.addShutdownParticipant(servers[c]);
        }
        Inode root = new Inode(ROOT_INO, FileType.DIRECTORY, ROOT_INO, null, null);
        VnodeServer rs = servers[owner(ROOT_INO)];
        onCpu(rs.cpu, () -> rs.inodes.put(ROOT_INO, root));
    }

    /** The CPU owning vnode {@code ino}: a multiplicative hash of the number, reduced to [0, ncpus). */
    int owner(long ino) {
        long h = ino * 0x9E3779B97F4A7C15L;
        return (int) (((h >>> 32) * ncpus) >>> 32);
    }

    VnodeServer server(int cpu) {
        return servers[cpu];
    }

    @Override
    public String design() {
        return "message";
    }

    @Override
    public DataMode dataMode() {
        return dataMode;
    }

    /** Sets a path request up to walk from the root (its first step, or a restart). */
    void startWalk(VfsRequest r) {
        r.walkPath = r.path;
        r.pos = 0;
        r.cur = ROOT_INO;
        r.stage = 0;
        r.nlocks = 0;
        r.holdsG = false;
        r.walkEnd = switch (r.op) {
            case CREATE, MKDIR, UNLINK, RMDIR, RENAME -> r.lastStart;
            default -> r.path.length();
        };
        r.phase = VnodeServer.P_WALK;
    }

    @Override
    boolean start(VfsSession s, VfsRequest r) {
        int to;
        if (r.path != null) {
            startWalk(r);
            to = owner(ROOT_INO);
        } else {
            r.phase = VnodeServer.P_FD;
            to = r.file.ownerCpu;
            if (r.op == Vop.READ && dataMode == DataMode.XIO) {
                r.xio = s.readXio();
            }
        }
        if (Lwkt.currentCpu() == null) {
            Lwkt.domsg(servers[to].td.port(), r);
            return true;
        }
        Lwkt.sendmsg(servers[to].td.port(), r);
        return false;
    }

    @Override
    void releaseXio(VfsSession s, Xio x) {
        int owner = x.ownerCpu;
        if (owner < 0) {
            x.markReleased();
            return;
        }
        Cpu cur = Lwkt.currentCpu();
        if (cur != null && cur.kernel() == kernel) {
            if (cur.id() == owner) {
                servers[owner].queueRelease(x);
            } else {
                kernel.fabric().sendPassive(cur.id(), owner, RELEASE_IPI, x, 0);
            }
        } else {
            kernel.fabric().submit(owner, x);
        }
    }

    @Override
    public long liveInodes() {
        long[] n = new long[1];
        for (VnodeServer sv : servers) {
            onCpu(sv.cpu, () -> n[0] += sv.inodeCount());
        }
        return n[0];
    }

    @Override
    public long heldPages() {
        long[] n = new long[1];
        for (VnodeServer sv : servers) {
            onCpu(sv.cpu, () -> {
                sv.endOfStep(kernel.cpu(sv.cpu));
                n[0] += sv.outstanding();
            });
        }
        return n[0];
    }

    /** Requests replied EIO because they were still parked when the kernel shut down. */
    long abandoned() {
        return abandoned.get();
    }

    /** Runs {@code action} on CPU {@code cpu} (its IPI context) from outside the kernel, and waits. */
    private void onCpu(int cpu, Runnable action) {
        if (Lwkt.currentCpu() != null) {
            throw new IllegalStateException("vfs '" + config.name() + "': inspect it from outside the kernel, not from cpu "
                    + Lwkt.currentCpu().id());
        }
        CountDownLatch done = new CountDownLatch(1);
        Throwable[] err = new Throwable[1];
        kernel.fabric().submit(cpu, c -> {
            try {
                action.run();
            } catch (Throwable t) {
                err[0] = t;
            } finally {
                done.countDown();
            }
        });
        // awaitOutside drives a deterministic simulation instead of waiting in real time, which moves nothing there
        if (!kernel.awaitOutside("vfs '" + config.name() + "': cpu " + cpu + " to answer", Duration.ofSeconds(30),
                () -> done.getCount() == 0)) {
            throw new IllegalStateException("vfs '" + config.name() + "': cpu " + cpu + " did not answer in 30 s"
                    + (Thread.currentThread().isInterrupted() ? " (interrupted)" : ""));
        }
        if (err[0] != null) {
            throw new IllegalStateException("vfs '" + config.name() + "': inspecting cpu " + cpu + " failed", err[0]);
        }
    }

    /**
     * Empties the filesystem: every CPU frees the pages of the files it owns (releasing XIOs that came
     * back first), then the zero page goes. Call it from outside the kernel, with no client running, before
     * the kernel shuts down (so the slab's leak report stays clean). The vnode servers stop with the kernel.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeSessions();
        for (VnodeServer sv : servers) {
            onCpu(sv.cpu, sv::freeAll);
        }
        mem.free(zeroPage);
    }
}
