/**
 * Kernel memory after DragonFly's {@code kern_slaballoc.c} and {@code kern_objcache.c}: a per-CPU slab
 * allocator over off-heap memory whose remote frees go back to the owning CPU, the baselines it is
 * measured against, and the object cache that pools Java objects.
 *
 * <p><b>What it owns.</b>
 * <ul>
 *   <li>{@link org.lwktlab.slab.Slab}: the allocator API (handles, access, misuse errors, leak report)
 *       and its designs by name — {@code message}, {@code message-cas}, {@code mutex},
 *       {@code mutex-striped}, {@code jvm}.</li>
 *   <li>Zones ({@code SlabZone}), the per-owner zone set ({@code ZoneSet}, DragonFly's {@code gd_slab})
 *       and the shared page pool ({@code PagePool}) they come from and return to.</li>
 *   <li>{@link org.lwktlab.slab.ObjCache}: Bonwick magazines per CPU with a shared depot.</li>
 * </ul>
 *
 * <p><b>Which thread may call.</b> The public API: any thread. The fast path is a CPU of the slab's
 * kernel; threads outside it go through that CPU's submission queue (per-CPU designs) or a gate lock.
 * Internally: a zone set is touched only by its owner (the CPU, or the holder of the stripe lock); a
 * zone's remote list and pin counters ({@code message-cas}) and chunk generations (when frees are
 * claimed at the caller) are the only state other CPUs write, always by CAS or atomic add; nothing
 * returns zones to the pool from inside an IPI function.
 *
 * <p><b>Invariants</b> (dragonfly.md §9.17): a remotely freed chunk is reused only by its owner, and
 * eventually is; no zone is reclaimed while pinned or while remote chunks are pending; allocated = live
 * + free, summed over CPUs. Every chunk is freed at most once — a second free is refused with
 * {@link org.lwktlab.slab.SlabMisuseException}, never applied.
 */
package org.lwktlab.slab;
