package org.lwktlab.slab;

/**
 * Remote frees a CPU gathered for one owner, carried home in one passive IPI ({@code message} design).
 * Filled by the freeing CPU only; after the send the owner has it (the IPI ring publishes the handles),
 * applies it, and puts it back in the slab's {@link ObjCache} — so batches circulate without allocation.
 */
final class RemoteFreeBatch {
    final MessageSlab slab;
    final long[] handles;
    int n;

    RemoteFreeBatch(MessageSlab slab, int capacity) {
        this.slab = slab;
        this.handles = new long[capacity];
    }
}
