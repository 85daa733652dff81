package org.lwktlab.slab;

/**
 * A caller broke the allocator's contract: freed twice, freed a handle the slab never gave out, or
 * touched a chunk after freeing it. The slab refuses the operation and leaves its state intact — a
 * misuse is never turned into silent corruption.
 *
 * <p>Thrown at the caller when the misuse is seen there. A free verified later by the chunk's owner CPU
 * (a remote free in the unchecked {@code message} design, a free from a thread outside the kernel) is
 * refused there, counted ({@code lwkt_slab_misuse_total}), kept in {@link Slab#misuses()} and listed as a
 * problem in the kernel's shutdown report.
 */
public final class SlabMisuseException extends IllegalStateException {
    /** What went wrong. */
    public enum Kind {
        /** The chunk was already free (freed twice with no reuse in between). */
        DOUBLE_FREE,
        /** The chunk was freed and handed out again since this handle was made: a double free of an old handle. */
        STALE_HANDLE,
        /** The handle carries another slab's tag. */
        FOREIGN_HANDLE,
        /** Not a handle of any chunk this slab gave out (zero, out of the arena, misaligned, never allocated). */
        UNKNOWN_HANDLE,
        /** A read or write through a handle whose chunk is free (checked mode; the {@code jvm} design always). */
        USE_AFTER_FREE,
        /** A read or write past the end of the chunk (checked mode; the {@code jvm} design always). */
        OUT_OF_BOUNDS
    }

    private final Kind kind;
    private final long handle;
    /** Whether the caller got it (false: found later by the owner, reported at shutdown). */
    boolean thrown = true;

    SlabMisuseException(Kind kind, long handle, String message) {
        super(message);
        this.kind = kind;
        this.handle = handle;
    }

    public Kind kind() {
        return kind;
    }

    /** True if the misusing caller got this exception; false if the chunk's owner found it later. */
    public boolean thrown() {
        return thrown;
    }

    /** The handle involved. */
    public long handle() {
        return handle;
    }
}
