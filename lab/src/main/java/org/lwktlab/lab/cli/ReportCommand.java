package org.lwktlab.lab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lwktlab.lab.report.ReportWriter;
import org.lwktlab.lab.run.ResultsWriter;
import org.lwktlab.lab.run.RunResults;
import org.lwktlab.lab.stats.Comparisons;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bin/lab report DIR}: rebuilds report.html from the folder's results.json. */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Rebuild report.html in DIR from DIR/results.json.")
public final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "A results folder (or its results.json).")
    Path dir;

    @Override
    public Integer call() {
        RunResults r = load(dir);
        if (r.comparisons().isEmpty() && r.config().designs().size() > 1) {
            r = r.withComparisons(Comparisons.within(r)); // a schema-1 file had none
        }
        Path folder = dir.toFile().isDirectory() ? dir : dir.toAbsolutePath().getParent();
        return RunCommand.writeReport(r, folder.toAbsolutePath().normalize(), System.out) ? 0 : 1;
    }

    /** Reads a results folder, turning a missing or unreadable file into bad input (exit 2). */
    static RunResults load(Path dir) {
        try {
            return ResultsWriter.read(dir);
        } catch (IOException e) {
            throw new BadInputException(e.getMessage());
        }
    }
}
