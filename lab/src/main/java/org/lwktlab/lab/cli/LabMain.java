package org.lwktlab.lab.cli;

import java.io.PrintWriter;
import org.lwktlab.lab.experiment.Experiments;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/lab}: the experiment runner's command line.
 *
 * <p>Exit status: 0 success; 1 a run finished but a correctness check failed, it was cut short, or its
 * report could not be written; 2 bad input (one line says what, and what is valid); 130 Ctrl-C (the
 * partial results are written first).
 */
@Command(name = "lab", mixinStandardHelpOptions = true, version = "LWKT Lab 0.1.0",
        description = "Runs DragonFly-style message designs against mutex designs and reports why one wins.",
        subcommands = {ListCommand.class, RunCommand.class, CompareCommand.class, ReportCommand.class, DemoCommand.class,
                StatCommand.class,
                CommandLine.HelpCommand.class})
public final class LabMain implements Runnable {
    /** Exit status for bad input. */
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with the lab's error handling: bad input is one line and exit status 2. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new LabMain());
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("lab: " + parameterProblem(ex));
            err.flush();
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof BadInputException || ex instanceof IllegalArgumentException) {
                commandLine.getErr().println("lab: " + ex.getMessage());
                commandLine.getErr().flush();
                return BAD_INPUT;
            }
            throw ex;
        });
        return cl;
    }

    /** One line: picocli's message, with the valid values where picocli does not name them. */
    static String parameterProblem(CommandLine.ParameterException ex) {
        CommandLine where = ex.getCommandLine();
        String name = where.getCommandName();
        String help = " (see 'bin/lab " + (where.getParent() == null ? "" : name + " ") + "--help')";
        String msg = ex.getMessage().replace('\n', ' ').trim();
        if (ex instanceof CommandLine.UnmatchedArgumentException u && where.getParent() == null
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().getFirst().startsWith("-")) {
            return "unknown command '" + u.getUnmatched().getFirst() + "'; commands: "
                    + String.join(", ", where.getSubcommands().keySet());
        }
        if (ex instanceof CommandLine.MissingParameterException && name.equals("run")) {
            return msg + "; experiments: " + String.join(", ", Experiments.load().all().stream()
                    .map(e -> e.name()).toList()) + help;
        }
        return msg + help;
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }
}
