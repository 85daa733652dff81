/**
 * The lock portfolio mutex designs run under, every lock probed (DESIGN §3).
 *
 * <p><b>What it owns.</b> {@link org.lwktlab.lwkt.lock.ProbedLock} and its kinds
 * ({@link org.lwktlab.lwkt.lock.LockKind}): {@code synchronized}, {@code ReentrantLock} fair and
 * unfair, {@code StampedLock}, TTAS, MCS, CLH, and flat combining. Critical sections are
 * {@link org.lwktlab.lwkt.lock.Section}s — stateless singletons given their state and argument — so one
 * API serves a monitor block, a {@code Lock}, and a combiner running other threads' sections, and
 * nothing is allocated per acquisition.
 *
 * <p><b>Which thread may call.</b> Any thread may create a lock and take a
 * {@link org.lwktlab.lwkt.lock.ProbedLock.Handle}; each handle is then used by one thread only, since
 * it holds that thread's single-writer counters ({@code lwkt_lock_acquisitions_total},
 * {@code lwkt_lock_contended_total}, {@code lwkt_lock_wait_seconds_total}, labels {@code lock},
 * {@code kind}, {@code thread}).
 */
package org.lwktlab.lwkt.lock;
