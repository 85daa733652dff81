/**
 * The {@code bin/lab} command line (picocli): {@code list}, {@code run} (also {@code --deterministic
 * --seed S --event-log FILE} and {@code --debug provenance}), {@code demo}, {@code trace} (origin chains of
 * a running experiment) and {@code sweep} (a deterministic design over many seeds, stopping at the first
 * that fails). Runs on the main thread; every command validates its input first and reports bad input
 * in one line, exit 2.
 */
package org.lwktlab.lab.cli;
