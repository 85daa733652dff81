package org.lwktlab.lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lwktlab.lab.run.ResultsWriter;
import org.lwktlab.lab.run.RunResults;

/**
 * Ctrl-C for real: {@code bin/lab run} in a child JVM gets SIGINT during its second trial, stops within
 * that trial, and still writes results.json (marked incomplete, the first trial kept) and report.html.
 */
class CtrlCTest {
    @Test
    void sigintWritesPartialResultsMarkedIncomplete(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        cmd.addAll(List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "--enable-native-access=ALL-UNNAMED", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                LabMain.class.getName(), "run", "shared-update", "--design", "message,mutex", "--cpus", "2", "--warmup", "100ms",
                "--duration", "30s", "--trials", "2", "--out", out.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder log = new StringBuilder();
        CompletableFuture<Void> second = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (log) {
                        log.append(line).append('\n');
                    }
                    if (line.startsWith("[2/4]")) {
                        second.complete(null);
                    }
                }
            } catch (Exception e) {
                second.completeExceptionally(e);
            }
        });
        reader.start();
        try {
            // trial 1 is 30 s: interrupt it first, so trial 2 never starts. Wait for the run to be under way.
            waitFor(() -> {
                synchronized (log) {
                    return log.toString().contains("[1/4]");
                }
            }, 60, log);
            Thread.sleep(500);
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor(), "kill -INT failed");
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the run did not end after SIGINT:\n" + log);
            reader.join(10_000);
            String text;
            synchronized (log) {
                text = log.toString();
            }
            assertEquals(130, p.exitValue(), "exit status after Ctrl-C\n" + text);
            assertTrue(text.contains("interrupted: stopping the current trial cleanly"), text);
            assertFalse(second.isDone(), "trial 2 must not start after Ctrl-C:\n" + text);
            RunResults r = ResultsWriter.read(out);
            assertFalse(r.complete(), "results must be marked incomplete");
            assertTrue(r.incompleteReason().contains("interrupted during trial 1 of 4"), r.incompleteReason());
            assertTrue(Files.isRegularFile(out.resolve("report.html")), "report.html written after Ctrl-C:\n" + text);
            assertTrue(Files.readString(out.resolve("report.html")).contains("Incomplete run."));
        } finally {
            p.destroyForcibly();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier cond, int seconds, StringBuilder log)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s; output so far:\n" + log);
            }
            Thread.sleep(20);
        }
    }
}
