/**
 * The built-in experiments: {@code ipi-pingpong} (the cost of a round trip), {@code shared-update}
 * (message versus lock versus token on shared cache lines) and {@code chain-vs-domsg} (what a
 * syslet-style chain saves over one round trip per step), {@code slab-remote-free} (sending freed memory
 * home by message against a locked allocator) and {@code cancel-rpc} (cancelling requests parked or half
 * done on another CPU, with exactly one outcome each). Each is registered in
 * {@code META-INF/services/org.lwktlab.lab.experiment.Experiment}, and says which of its designs can run
 * as a deterministic simulation ({@code Experiment.deterministicDesigns}). {@link
 * org.lwktlab.lab.experiments.Waits} is the bounded wait every workload's {@code stop()} uses; it drives
 * a simulation instead of sleeping.
 */
package org.lwktlab.lab.experiments;
