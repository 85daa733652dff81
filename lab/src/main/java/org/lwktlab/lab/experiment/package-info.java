/**
 * The experiment SPI: what an experiment provides ({@link org.lwktlab.lab.experiment.Experiment},
 * {@link org.lwktlab.lab.experiment.Workload}) and what the runner gives it
 * ({@link org.lwktlab.lab.experiment.Trial}, {@link org.lwktlab.lab.experiment.LoadRecorder}).
 *
 * <p><b>Threads.</b> The runner thread calls {@code prepare}, {@code start}, {@code stop},
 * {@code verify}, {@code metrics} and {@code shutdown} in that order. Each
 * {@link org.lwktlab.lab.experiment.LoadRecorder} is written by one load generator (a platform thread
 * or a CPU) and read by the runner.
 */
package org.lwktlab.lab.experiment;
