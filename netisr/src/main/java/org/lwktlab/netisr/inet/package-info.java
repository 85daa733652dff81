/**
 * Internet-layer helpers: the RFC 1071 checksum ({@link org.lwktlab.netisr.inet.InCksum}), IPv4 and TCP
 * header layout, and TCP sequence arithmetic.
 *
 * <p><b>Threads.</b> Stateless functions; any thread.
 */
package org.lwktlab.netisr.inet;
