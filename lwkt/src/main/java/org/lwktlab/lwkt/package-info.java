/**
 * The LWKT runtime: DragonFly's lightweight kernel threads and message ports on simulated CPUs.
 *
 * <p><b>What it owns.</b>
 * <ul>
 *   <li>{@link org.lwktlab.lwkt.Kernel}: boots N {@link org.lwktlab.lwkt.Cpu}s over an
 *       {@code IpiFabric}, owns their tokens and probes, shuts them down losing nothing.</li>
 *   <li>{@link org.lwktlab.lwkt.Cpu}: the per-CPU scheduler loop (drain IPIs, run threads by priority,
 *       idle).</li>
 *   <li>{@link org.lwktlab.lwkt.LwktThread}: a run-to-completion context bound to one CPU, with a
 *       {@link org.lwktlab.lwkt.ThreadPort}.</li>
 *   <li>{@link org.lwktlab.lwkt.Message} and the verbs in {@link org.lwktlab.lwkt.Lwkt}
 *       ({@code sendmsg}, {@code domsg}, {@code forwardmsg}, {@code replymsg}, {@code waitmsg},
 *       {@code abortmsg}, {@code dropmsg}); the port kinds ({@link org.lwktlab.lwkt.ThreadPort},
 *       {@link org.lwktlab.lwkt.CallbackPort}, {@link org.lwktlab.lwkt.WaitPort},
 *       {@link org.lwktlab.lwkt.NullPort}).</li>
 *   <li>{@link org.lwktlab.lwkt.Token}: soft serialisation acquired by the scheduler.</li>
 *   <li>Message provenance ({@code --debug provenance}): {@link org.lwktlab.lwkt.Origin} chains recorded
 *       on every send and forward, shown in {@link org.lwktlab.lwkt.HandlerError}s, in the shutdown
 *       report's list of unreplied messages, and to a {@link org.lwktlab.lwkt.ProvenanceTap}.</li>
 *   <li>Deterministic simulation: {@link org.lwktlab.lwkt.Simulation} steps every CPU on one thread in an
 *       order drawn from a seed, with a simulated {@link org.lwktlab.lwkt.Clock} and an
 *       {@link org.lwktlab.lwkt.EventLog}; {@link org.lwktlab.lwkt.SeedSweep} runs a scenario over many
 *       seeds and reports the first that fails.</li>
 *   <li>Syslet-style chains: {@link org.lwktlab.lwkt.MsgChain} ({@code Lwkt.sendchain}/{@code dochain})
 *       with one completion, to any reply port or a {@link org.lwktlab.lwkt.CompletionRing}.</li>
 *   <li>{@link org.lwktlab.lwkt.KernelObserver}: tools told of boot and shutdown.</li>
 *   <li>Probe bookkeeping in each CPU's own memory: {@code PortTally} (a port's per-run counts,
 *       published in a rollup by {@code Cpu.publishProbes}) and {@code LatencySampler} (which sends are
 *       time-stamped); {@code CpuIdentity} keeps what other CPUs read of a CPU off the lines it writes.</li>
 * </ul>
 *
 * <p><b>Which thread may call.</b> State owned by a CPU — its run queue, its threads, their ports'
 * queues — is touched only by that CPU's thread, so it needs neither locks nor atomics. Handlers run on
 * their thread's CPU and never block. The message verbs may be called from a CPU or from a thread
 * outside the kernel; they route accordingly (a plain insert on the owner CPU, an IPI from another CPU,
 * the submission queue from outside). Builders, {@code Kernel.spawn}, {@code Kernel.token} and
 * {@code Kernel.shutdown} may be called from any thread. In a deterministic simulation there are no CPU
 * threads: one driver thread runs every CPU's steps, and only while the thread that booted the kernel
 * (its controller) waits in a {@code Simulation} call, {@code waitmsg}/{@code domsg}, or shutdown.
 *
 * <p><b>Invariants</b> are stated on each class, numbered after dragonfly.md §9 where they come from.
 */
package org.lwktlab.lwkt;
