/**
 * cpusync (ipi.CpuSync), dragonfly.md §9.8: the function runs exactly once on every CPU of the mask;
 * no target runs it before {@code deinterlock} begins; {@code deinterlock} returns only after every
 * target has run it, with its writes visible; two concurrent masters both complete.
 *
 * <p>Each actor plays a CPU of a small fabric: the master calls the real {@code CpuSync}, the other
 * CPU drains its IPIs as its loop would (bounded, so a broken rendezvous is a TIMEOUT outcome).
 */
package org.lwktlab.stress.cpusync;
