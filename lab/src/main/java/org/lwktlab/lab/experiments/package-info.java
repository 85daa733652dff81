/**
 * The built-in experiments: {@code ipi-pingpong} (the cost of a round trip) and {@code shared-update}
 * (message versus lock versus token on shared cache lines). Each is registered in
 * {@code META-INF/services/org.lwktlab.lab.experiment.Experiment}.
 */
package org.lwktlab.lab.experiments;
