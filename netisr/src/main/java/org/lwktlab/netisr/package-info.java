/**
 * A small per-CPU network stack over an in-memory wire, built two ways: DragonFly's (per-CPU netisr
 * threads that own their connections, no locks) and FreeBSD's {@code pcbinfo} era (a global PCB table
 * under a lock plus a lock per PCB). Both run the same protocol code under the same socket calls.
 *
 * <p><b>What it owns.</b>
 * <ul>
 *   <li>{@link org.lwktlab.netisr.NetStack}: boots two hosts (client 10.0.0.1, server 10.0.0.2), their
 *       multi-queue {@link org.lwktlab.netisr.Nic}s joined by a {@code Wire} (seeded loss, reordering,
 *       duplication, corruption: {@link org.lwktlab.netisr.WireFaults}), a netisr LWKT thread per CPU,
 *       the clock, and the packet memory: mbuf headers from an {@code ObjCache}, frames and socket
 *       buffers in slab chunks.</li>
 *   <li>The designs, chosen by {@link org.lwktlab.netisr.NetDesign}: {@code MessageStack} (per-CPU PCB
 *       tables, socket calls as messages to the owning netisr, connect migration, end-of-batch ACK
 *       rollup) and {@code MutexStack} (one PCB hash per host under {@code pcbinfo}, a PCB lock pool,
 *       listener and callout locks, from the {@code ProbedLock} portfolio).</li>
 *   <li>{@code Tcp}: handshake, sequence/ACK numbers, fixed window, delayed ACKs, reassembly, FIN close,
 *       TIME_WAIT, RST, retransmission on an RTT-based timeout, listen backlog.</li>
 *   <li>The user side: {@link org.lwktlab.netisr.Socket}, calls as {@link org.lwktlab.netisr.SockReq}
 *       messages (errors as {@link org.lwktlab.netisr.SoErrno} with a reason), a blocking facade for
 *       threads outside the kernel ({@link org.lwktlab.netisr.BlockingSockets}), and
 *       {@link org.lwktlab.netisr.NetStats} (the probes summed).</li>
 * </ul>
 *
 * <p><b>Cancelling.</b> A blocking {@code recv} submitted {@code initAbortable} may be cancelled with
 * {@code Lwkt.abortmsg} from any thread: the abort reaches the CPU that owns the request, which takes the
 * parked recv back (under the PCB lock in the mutex design) and replies it {@code ABORTED} — or finds it
 * already completed by data and does nothing. Exactly one reply either way ({@code docs/research.md} §4).
 *
 * <p><b>Which thread may call.</b> {@code NetStack.submit}, {@code socket}, {@code stats} and the
 * read-only accessors: any thread. {@code BlockingSockets}: threads outside the kernel only (a CPU
 * never blocks). Everything else runs on the kernel's CPUs — in the message design only on the CPU that
 * owns the connection, in the mutex design under the locks named in {@code MutexStack}.
 */
package org.lwktlab.netisr;
