package org.lwktlab.vfs;

import java.util.Objects;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.Port;
import org.lwktlab.metrics.probe.ProbeRegistry;

/**
 * An in-memory filesystem with one API and two designs, chosen at construction:
 * <ul>
 *   <li>{@link #message} — every vnode is owned by the CPU its inode number hashes to, and every VOP is a
 *       message to that CPU's vnode server; path walks move from CPU to CPU, and removals and renames
 *       that span CPUs run a name-lock protocol (see {@code docs/vfs.md}). Data moves by {@link Xio}
 *       page references or, in {@link DataMode#COPY}, by copying at each layer.</li>
 *   <li>{@link #mutex} — shared vnodes under a name-cache lock and per-vnode read/write locks; operations
 *       run on the caller's thread; data is copied once, between the user buffer and the file's pages.</li>
 * </ul>
 * Clients use it through {@link VfsSession}s (one per client thread); a client cannot tell which design
 * serves it.
 */
public abstract sealed class Vfs implements AutoCloseable permits MessageVfs, MutexVfs {
    /** Open for reading only. */
    public static final int O_RDONLY = 0;
    /** Open for writing only. */
    public static final int O_WRONLY = 1;
    /** Open for reading and writing. */
    public static final int O_RDWR = 2;
    /** The access-mode bits of open flags. */
    public static final int O_ACCMODE = 3;
    /** The root directory's inode number. */
    public static final long ROOT_INO = 1;

    final VfsConfig config;
    final PageMemory mem;
    final ProbeRegistry probes;
    final java.util.List<VfsSession> sessions = new java.util.concurrent.CopyOnWriteArrayList<>();

    Vfs(VfsConfig config, PageMemory mem, ProbeRegistry probes) {
        this.config = Objects.requireNonNull(config, "config");
        this.mem = Objects.requireNonNull(mem, "page memory");
        this.probes = Objects.requireNonNull(probes, "probes");
    }

    /**
     * The message design on {@code kernel}: spawns a vnode server thread on every CPU. Its probes go to
     * the kernel's registry.
     */
    public static Vfs message(Kernel kernel, PageMemory mem, VfsConfig config) {
        return new MessageVfs(kernel, mem, config);
    }

    /** The mutex design; its probes go to {@code probes}. */
    public static Vfs mutex(PageMemory mem, ProbeRegistry probes, VfsConfig config) {
        return new MutexVfs(mem, probes, config);
    }

    /** {@code message} or {@code mutex}. */
    public abstract String design();

    /** How data moves ({@link DataMode#COPY} for the mutex design). */
    public abstract DataMode dataMode();

    public VfsConfig config() {
        return config;
    }

    /** Where file data lives. */
    public PageMemory pageMemory() {
        return mem;
    }

    /**
     * A session for one client (a "process": its descriptor table and requests), used by one thread at a
     * time.
     *
     * @param name      label {@code client} on its probes; unique per filesystem
     * @param replyPort where replies go when the session submits from a CPU in the message design (the
     *                  client thread's port or a callback port); null for a session used only by threads
     *                  outside the kernel, or only with the mutex design
     */
    public VfsSession session(String name, Port replyPort) {
        VfsSession s = new VfsSession(this, name, replyPort);
        sessions.add(s);
        return s;
    }

    /** Frees the pages sessions keep for their own use (part of {@link #close()}). */
    void closeSessions() {
        for (VfsSession s : sessions) {
            s.close();
        }
    }

    /** Inodes alive now (named, or unnamed and still open), root included. From outside the kernel. */
    public abstract long liveInodes();

    /** Pages held by XIOs not yet released, and sf_buf references outstanding (0 when quiet). */
    public abstract long heldPages();

    /**
     * Unmounts: frees every page the filesystem and its sessions hold (files still present, unlinked files
     * still open, sessions' page buffers), so the page memory's leak report stays clean. Call it from outside
     * the kernel, with no client running, before the kernel shuts down; nothing may use the filesystem after.
     */
    @Override
    public abstract void close();

    // ------------------------------------------------------------------ design hooks for sessions

    /** Runs or sends {@code r}, already validated; true if it completed now. */
    abstract boolean start(VfsSession s, VfsRequest r);

    /** Releases the held pages of a completed read XIO. */
    abstract void releaseXio(VfsSession s, Xio x);
}
