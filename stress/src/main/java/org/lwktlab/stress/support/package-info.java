/**
 * Helpers the tests share: bounded waits, a watchdog that rescues (and reports) a waiter that would
 * otherwise hang, the error handler that turns a failing IPI function into a test error, and the
 * per-class kernels. Nothing here is a concurrency claim; it only makes failures visible.
 *
 * <p>Any thread may call these helpers; each states what it shares.
 */
package org.lwktlab.stress.support;
