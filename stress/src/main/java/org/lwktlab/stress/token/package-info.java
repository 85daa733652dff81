/**
 * Tokens (lwkt.Token), dragonfly.md §9.16: at most one exclusive holder across CPUs, shared and
 * exclusive holders never coexist, a release publishes what was written under the token to the next
 * holder, and threads the scheduler re-queues because a token was held elsewhere run later holding it.
 *
 * <p>The first three tests call the token's acquire and release directly, each actor playing one CPU,
 * through {@code org.lwktlab.lwkt.StressSeam} (a test-support seam: acquire/release are package-private
 * scheduler internals). The last runs two LWKT threads on a real kernel.
 */
package org.lwktlab.stress.token;
