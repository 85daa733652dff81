/**
 * The IPI layer: how one simulated CPU makes another run a function (DragonFly's
 * {@code lwkt_ipiq.c}).
 *
 * <p><b>What it owns.</b>
 * <ul>
 *   <li>{@link org.lwktlab.ipi.IpiQueue}: the SPSC ring per ordered CPU pair — the only concurrent
 *       structure between CPUs in the message design.</li>
 *   <li>{@link org.lwktlab.ipi.IpiFabric}: the N×N rings, active/passive/mask sends, the ring-full rule,
 *       the drain pass, {@code waitIpiq} and {@code synchronizeIpiqs}.</li>
 *   <li>{@link org.lwktlab.ipi.IpiSignal}: the wake-up interlock ({@code gd_npoll}).</li>
 *   <li>{@link org.lwktlab.ipi.SubmissionQueue}: the MPSC entry for threads outside the kernel.</li>
 *   <li>{@link org.lwktlab.ipi.CpuSync}: the cpusync rendezvous.</li>
 *   <li>{@link org.lwktlab.ipi.IdleStrategy}: spin, yield, park, back-off.</li>
 *   <li>{@link org.lwktlab.ipi.SpinAssist}: what every spin-wait here does instead of spinning when one
 *       thread simulates all CPUs (lwkt's deterministic {@code Simulation}); with the one-source drains
 *       ({@code IpiFabric.drainRing}, {@code drainSubmissions}, {@code runReleasedCpusyncs}) it is the
 *       seam a deterministic driver steps the fabric through.</li>
 * </ul>
 *
 * <p><b>Which thread may call.</b> A method that takes a {@code from} or {@code cpu} argument runs on
 * that CPU's thread (it touches that CPU's single-writer state). {@code IpiFabric.submit} and
 * {@code SubmissionQueue.submit} are for threads outside the kernel. Probe readers may run anywhere.
 * IPI functions run on the target CPU, to completion, never blocking.
 *
 * <p><b>Memory ordering.</b> Publication is release/acquire on ring indices; the only full fences are
 * in the wake-up check ({@code IpiFabric.flushWakeups}, once per dispatch step) and in the idle
 * announcement, which together form the Dekker pair that makes lost wake-ups impossible.
 */
package org.lwktlab.ipi;
