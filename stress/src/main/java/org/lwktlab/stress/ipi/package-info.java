/**
 * IPI rings and the fabric's send rules (dragonfly.md §9.1, §9.3, §9.4, §9.6): per-pair FIFO with no
 * loss and no duplicate, publication of a payload written before the send, passive IPIs that run at
 * the next drain without a wake-up, active and passive sends sharing one FIFO, and two CPUs flooding
 * each other through full rings.
 *
 * <p>Actors play CPUs: the producer actor is the only caller of the producer side of a ring, the
 * consumer actor of its consumer side, as the fabric requires.
 */
package org.lwktlab.stress.ipi;
