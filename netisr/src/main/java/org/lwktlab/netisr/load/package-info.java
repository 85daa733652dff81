/**
 * Load generators that run <em>inside</em> the kernel, as LWKT "user" threads: an
 * {@link org.lwktlab.netisr.load.AppThread} per CPU drives many {@link org.lwktlab.netisr.load.Flow}s —
 * one connection's state machine each — that make socket calls with
 * {@link org.lwktlab.netisr.NetStack#submit} and continue in the reply. Nothing blocks, so one thread
 * keeps any number of connections busy, and a run needs no thread outside the kernel (the
 * deterministic simulation mode can drive it).
 *
 * <p><b>Threads.</b> A flow is touched only by the app thread it runs on (after
 * {@link org.lwktlab.netisr.load.AppThread#start}, which hands it over by message). Results a flow
 * publishes for outside readers go through the completion counters noted on each class.
 */
package org.lwktlab.netisr.load;
