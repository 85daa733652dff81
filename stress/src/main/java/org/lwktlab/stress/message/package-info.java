/**
 * Messages (lwkt.Message, Lwkt, WaitPort), dragonfly.md §9.10–9.12: an abort racing a reply resolves
 * to exactly one outcome that the originator observes; a message is replied exactly once; a thread
 * outside the kernel in {@code waitmsg} never misses its reply.
 *
 * <p>These tests run on a real booted kernel (one per forked VM, see
 * {@link org.lwktlab.stress.support.Kernels}); the actors are threads outside the kernel, and the
 * races include the kernel's CPU threads. Each test instance owns its own message.
 */
package org.lwktlab.stress.message;
