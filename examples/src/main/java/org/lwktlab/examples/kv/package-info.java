/**
 * The tutorial subsystem (docs/writing-a-subsystem.md): a key-value store behind one API
 * ({@link org.lwktlab.examples.kv.KvStore}) in a {@code message} design
 * ({@link org.lwktlab.examples.kv.MessageKvStore}: keys sharded over CPU-owned threads) and a
 * {@code mutex} design ({@link org.lwktlab.examples.kv.MutexKvStore}: one map, one probed lock), run as
 * the {@code kv-store} experiment ({@link org.lwktlab.examples.kv.KvExperiment}).
 *
 * <p><b>Threads.</b> Sessions are per client thread. In the message design the shard maps are touched
 * only by their CPUs; clients are threads outside the kernel and use {@code domsg}. In the mutex design
 * the map is touched only inside the lock's critical sections.
 */
package org.lwktlab.examples.kv;
