package org.lwktlab.lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every kind of bad input ends the same way: exit status 2 and exactly one line on stderr, starting
 * {@code lab:}, that names the problem and (where there is a fixed set) the valid values. None of them
 * runs a trial.
 */
class BadInputTest {
    record Outcome(int status, String err, String out) {}

    static Outcome lab(String... args) {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        CommandLine cl = LabMain.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(out, true));
        int status = cl.execute(args);
        return new Outcome(status, err.toString(), out.toString());
    }

    static List<Arguments> cases() {
        return List.of(
                Arguments.of(List.of("run", "no-such"), List.of("unknown experiment 'no-such'", "ipi-pingpong", "shared-update")),
                Arguments.of(List.of("run"), List.of("EXPERIMENT", "shared-update")),
                Arguments.of(List.of("run", "shared-update", "--design", "mesage"),
                        List.of("no design 'mesage'", "valid designs: message, mutex, token")),
                Arguments.of(List.of("run", "shared-update", "--cpus", "0"), List.of("--cpus", "between 1 and 64", "got 0")),
                Arguments.of(List.of("run", "shared-update", "--cpus", "-2"), List.of("--cpus", "got -2")),
                Arguments.of(List.of("run", "shared-update", "--cpus", "two"), List.of("--cpus", "'two'")),
                Arguments.of(List.of("run", "ipi-pingpong", "--cpus", "1"), List.of("needs at least 2 cpus")),
                Arguments.of(List.of("run", "shared-update", "--duration", "-1s"), List.of("--duration must be positive", "got -1s")),
                Arguments.of(List.of("run", "shared-update", "--duration", "0"), List.of("--duration must be positive", "got 0s")),
                Arguments.of(List.of("run", "shared-update", "--duration", "soon"), List.of("'soon' is not a duration", "500ms")),
                Arguments.of(List.of("run", "shared-update", "--warmup", "-250ms"), List.of("--warmup must not be negative", "got -250ms")),
                Arguments.of(List.of("run", "shared-update", "--trials", "0"), List.of("--trials must be >= 1", "got 0")),
                Arguments.of(List.of("run", "shared-update", "--rate", "-5"), List.of("--rate must be a positive number", "got -5")),
                Arguments.of(List.of("run", "shared-update", "--rate", "fast"), List.of("'fast' is not a rate", "200k")),
                Arguments.of(List.of("run", "shared-update", "--set", "lines"), List.of("--set lines: expected KEY=VALUE", "window")),
                Arguments.of(List.of("run", "shared-update", "--set", "=4"), List.of("--set =4: expected KEY=VALUE")),
                Arguments.of(List.of("run", "shared-update", "--set", "colour=red"),
                        List.of("--set colour: not a setting of shared-update", "lines", "ring.capacity")),
                Arguments.of(List.of("run", "shared-update", "--set", "lines=many"), List.of("--set lines=many", "integer >= 1")),
                Arguments.of(List.of("run", "shared-update", "--set", "lines=0"), List.of("--set lines=0", ">= 1")),
                Arguments.of(List.of("run", "shared-update", "--set", "lock=spin"), List.of("--set lock=spin", "reentrant", "mcs")),
                Arguments.of(List.of("run", "shared-update", "--set", "idle=nap"), List.of("idle", "spin")),
                Arguments.of(List.of("run", "shared-update", "--set", "cpus=4"), List.of("--set cpus: use --cpus")),
                Arguments.of(List.of("run", "shared-update", "--colour"), List.of("Unknown option: '--colour'", "bin/lab run --help")),
                Arguments.of(List.of("frobnicate"), List.of("unknown command 'frobnicate'", "run", "compare", "report", "demo")),
                Arguments.of(List.of("compare", "/no/such/a", "/no/such/b"), List.of("no results.json at /no/such/a")),
                Arguments.of(List.of("compare", "/no/such/a"), List.of("DIR_B")),
                Arguments.of(List.of("report", "/no/such/dir"), List.of("no results.json at /no/such/dir")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputIsOneLineAndExitTwo(List<String> args, List<String> mustSay) {
        Outcome o = lab(args.toArray(String[]::new));
        assertEquals(2, o.status(), "exit status for " + args + "; stderr: " + o.err());
        List<String> lines = o.err().lines().toList();
        assertEquals(1, lines.size(), "exactly one line on stderr for " + args + ", got:\n" + o.err());
        String line = lines.getFirst();
        assertTrue(line.startsWith("lab: "), line);
        for (String s : mustSay) {
            assertTrue(line.contains(s), "'" + line + "' should mention '" + s + "'");
        }
        assertFalse(line.contains("PT"), "durations are written as people write them: " + line);
        assertFalse(o.out().contains("[1/"), "no trial may run on bad input: " + o.out());
    }

    /** Every error points at {@code bin/lab COMMAND --help}, so that must print the usage and exit 0. */
    @ParameterizedTest(name = "{0} --help")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"list", "run", "compare", "report", "demo", "stat"})
    void everyCommandHasHelp(String command) {
        Outcome o = lab(command, "--help");
        assertEquals(0, o.status(), command + " --help; stderr: " + o.err());
        assertTrue(o.out().startsWith("Usage: lab " + command), o.out());
        assertEquals("", o.err());
    }

    @Test
    void outPointingAtAFileIsBadInput(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        Outcome o = lab("run", "shared-update", "--out", file.toString());
        assertEquals(2, o.status(), o.err());
        assertTrue(o.err().contains("is a file, not a folder"), o.err());
    }

    @Test
    void aResultsFileThatIsNotResultsIsBadInput(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("results.json"), "{\"hello\": 1}");
        Outcome o = lab("report", dir.toString());
        assertEquals(2, o.status(), o.err());
        assertTrue(o.err().contains("is not a results.json"), o.err());
        Files.writeString(dir.resolve("results.json"), "not json at all");
        o = lab("report", dir.toString());
        assertEquals(2, o.status(), o.err());
        assertEquals(1, o.err().lines().count(), o.err());
    }
}
