/**
 * The {@code bin/lab} command line (picocli): {@code list}, {@code run}, {@code demo}. Runs on the
 * main thread; every command validates its input first and reports bad input in one line, exit 2.
 */
package org.lwktlab.lab.cli;
