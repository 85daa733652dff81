/**
 * Kernel memory (slab.Slab, slab.ObjCache), dragonfly.md §9.17: a chunk freed on a CPU that does not
 * own it goes home and is never lost or applied twice, in both message designs; an object cache's
 * magazine exchanges with its depot lose and duplicate no object.
 *
 * <p>These run on a real kernel (one per forked VM) whose CPUs do the allocating and freeing in IPI
 * context; the actors hand them the work. Loss and duplication are global properties of the allocator,
 * so the tests check them globally, and a failure shows in whichever test instance trips over it:
 * <ul>
 *   <li>duplicate — every chunk or object handed out is registered as live; handing out one that is
 *       still live means a free was applied twice (or an object cached twice);</li>
 *   <li>loss — the allocator is bounded (a small arena; an object limit) and far more than its size
 *       passes through it: a lost free or object leaks for good, so the bound is eventually hit, which
 *       the tests report.</li>
 * </ul>
 */
package org.lwktlab.stress.slab;
