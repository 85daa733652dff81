package org.lwktlab.lwkt;

/**
 * Run by an {@link LwktThread} after each batch of messages it handled — DragonFly's netisr rollups
 * such as {@code tcp_willblock}, which send once the ACKs owed by every connection the batch touched.
 */
@FunctionalInterface
public interface Rollup {
    void rollup();
}
