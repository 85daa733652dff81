/**
 * The jcstress suite: each concurrency claim the model makes (dragonfly.md §9, DESIGN §2) as a test
 * with its acceptable, interesting and forbidden outcomes stated and explained.
 *
 * <p><b>Groups.</b> One package per mechanism, so {@code -t} selects one group by its package name:
 * {@code ipi} (rings, passive IPIs, the ring-full rule), {@code wakeup} (the idle/wake-up Dekker
 * protocol), {@code message} (abort vs reply, {@code waitmsg}), {@code token}, {@code cpusync},
 * {@code submission} (the MPSC entry), {@code probe} (counters and high-water marks read by the
 * exporter). {@code broken} holds deliberately broken twins that must show a forbidden outcome; it is
 * outside the CI group ({@code ^org\.lwktlab\.stress\.(?!broken\.)}) and run by hand, see
 * docs/stress.md.
 *
 * <p><b>Threads.</b> In a test, each jcstress actor plays one simulated CPU (it is the only thread
 * that calls the owner-only methods of that CPU's state for that test instance) or one thread outside
 * the kernel; the arbiter runs after all actors and may read anything. Tests that need real CPU
 * threads share one booted {@code Kernel} per test class in the forked VM. Every wait inside a test
 * is bounded ({@link org.lwktlab.stress.support.Bounded}): a lost wake-up or a deadlock shows as a
 * forbidden TIMEOUT outcome instead of a hung run.
 */
package org.lwktlab.stress;
