package org.lwktlab.vfs;

/**
 * A lock on one name in one directory, held by a create, rmdir or rename in the message design while
 * it visits other CPUs, so that nobody observes the name half-changed: requests that reach a locked
 * name park on it and run again when it is released. A lock can name an entry that does not exist yet
 * (a create's target, a rename's destination).
 *
 * <p><b>Order.</b> A request that holds a name lock waits only for a name lock later in the global order
 * (directory inode number, then name), and never walks a path or waits for anything else while holding
 * one — which is why requests can never wait for each other in a cycle.
 *
 * <p><b>Threads.</b> The CPU owning the directory only.
 */
final class NameLock {
    final String name;
    final VfsRequest holder;
    NameLock next;
    VfsRequest waiters;

    NameLock(String name, VfsRequest holder) {
        this.name = name;
        this.holder = holder;
    }
}
