/**
 * A threaded in-memory VFS after Dillon's plan for DragonFly: vnode operations as messages to the CPU
 * that owns the vnode, and XIO page references instead of UIO copies — next to a mutex design with
 * shared vnodes, a name-cache lock and per-vnode read/write locks. See {@code docs/vfs.md}.
 *
 * <p><b>What it owns.</b>
 * <ul>
 *   <li>The API: {@link org.lwktlab.vfs.Vfs} (built with {@code Vfs.message} or {@code Vfs.mutex}),
 *       {@link org.lwktlab.vfs.VfsSession} (a client: the syscall layer, its descriptors, the user edge of
 *       the data path), {@link org.lwktlab.vfs.VfsRequest} (one operation, a message),
 *       {@link org.lwktlab.vfs.VfsError} (POSIX errors), {@link org.lwktlab.vfs.Attr},
 *       {@link org.lwktlab.vfs.DirBuffer}, {@link org.lwktlab.vfs.PathName} (path rules).</li>
 *   <li>The filesystem: {@code Inode}, {@code Directory}, {@code Dirent}, {@code FileData} (pages of a
 *       file), {@code NameCache}, and the design-specific parts — {@code MessageVfs} with one
 *       {@code VnodeServer} per CPU and its {@code NameLock}s, {@code MutexVfs} with {@code VnodeLock}s.</li>
 *   <li>Data movement: {@link org.lwktlab.vfs.Xio} (page lists), {@link org.lwktlab.vfs.SfBuf} and
 *       {@code SfBufCache} (per-CPU mapping caches with a cpumask), {@link org.lwktlab.vfs.PageMemory}
 *       (4 KiB pages by handle) backed by the slab allocator ({@link org.lwktlab.vfs.SlabPageMemory}).</li>
 * </ul>
 *
 * <p><b>Which thread may call.</b> A session is used by one thread at a time: an LWKT thread on any CPU
 * (asynchronously: {@code submit}, then {@code complete} in the reply) or a thread outside the kernel
 * (the blocking methods). Message design: every inode, name-cache entry, name lock, sf_buf cache and page
 * hold is touched only by the CPU owning it; the only cross-CPU traffic is the request messages and the
 * passive IPIs that return XIOs, plus an atomic OR on an sf_buf's cpumask. Mutex design: everything
 * under the locks described on {@code MutexVfs}. {@code Vfs.liveInodes}, {@code heldPages} and
 * {@code close} are for threads outside the kernel.
 *
 * <p><b>Invariants.</b> A name never refers to an inode that does not exist; every live inode has
 * exactly one name or an open descriptor; a rename is atomic to every path walk (no walk sees both names
 * or neither), never loses or duplicates an entry, never puts a directory under itself, and no request
 * waits for another in a cycle; a page held by an XIO is never written or freed under it; bad input is a
 * {@code VfsError}, never an exception.
 */
package org.lwktlab.vfs;
