package org.lwktlab.slab;

/**
 * {@link Slab#alloc} found no free chunk and no free zone left in the arena. Use
 * {@link Slab#tryAlloc} to get the null handle (0) instead, or give the slab a larger arena
 * ({@link SlabConfig.Builder#arenaBytes}).
 */
public final class SlabExhaustedException extends IllegalStateException {
    SlabExhaustedException(String message) {
        super(message);
    }
}
