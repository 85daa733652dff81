/**
 * The wake-up protocol ({@code IpiSignal} with {@code IpiFabric.flushWakeups} and the submission
 * queue's {@code fenceAndWake}), dragonfly.md §9.5: a target announcing idle races a sender's enqueue,
 * and at least one of them must see the other — the target finds the work in its re-check, or the
 * sender finds it idle and wakes it. A wake-up is skipped only when the target is running, and of
 * several racing senders exactly one wakes an idle target.
 *
 * <p>This is a store-buffering (Dekker) pattern: on x86 only the full fences (the volatile idle store,
 * the fence in {@code flushWakeups}) forbid the lost wake-up; unit tests cannot see it, jcstress can —
 * {@code org.lwktlab.stress.broken.WakeupWithoutFence} shows the outcome without the fence.
 */
package org.lwktlab.stress.wakeup;
