package org.lwktlab.lab.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/lab}: the experiment runner's command line.
 *
 * <p>Exit status: 0 success; 1 a run finished but a correctness check failed (or it was cut short);
 * 2 bad input (one line says what and what is valid).
 */
@Command(name = "lab", mixinStandardHelpOptions = true, version = "LWKT Lab 0.1.0",
        description = "Runs DragonFly-style message designs against mutex designs and reports why one wins.",
        subcommands = {ListCommand.class, RunCommand.class, DemoCommand.class, StatCommand.class, TraceCommand.class,
            SweepCommand.class, CommandLine.HelpCommand.class})
public final class LabMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with the lab's error handling. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new LabMain());
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("lab: " + ex.getMessage());
            err.println("Try 'bin/lab " + ex.getCommandLine().getCommandName() + " --help'.");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof BadInputException || ex instanceof IllegalArgumentException) {
                commandLine.getErr().println("lab: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }
}
