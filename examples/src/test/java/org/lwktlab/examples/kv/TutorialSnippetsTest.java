package org.lwktlab.examples.kv;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/writing-a-subsystem.md quotes this module: every ```java block on the page must appear verbatim
 * (ignoring leading indentation) in the module's sources, so the tutorial cannot drift from the code.
 */
class TutorialSnippetsTest {
    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("docs/writing-a-subsystem.md"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new AssertionError("docs/writing-a-subsystem.md not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    private static String normalise(String s) {
        StringBuilder b = new StringBuilder();
        for (String line : s.split("\n")) {
            b.append(line.strip()).append('\n');
        }
        return b.toString();
    }

    @Test
    void everyJavaSnippetIsInTheExamplesModule() throws IOException {
        Path root = root();
        List<String> blocks = new ArrayList<>();
        StringBuilder cur = null;
        for (String line : Files.readAllLines(root.resolve("docs/writing-a-subsystem.md"))) {
            if (cur == null && line.strip().equals("```java")) {
                cur = new StringBuilder();
            } else if (cur != null && line.strip().equals("```")) {
                blocks.add(cur.toString());
                cur = null;
            } else if (cur != null) {
                cur.append(line).append('\n');
            }
        }
        assertFalse(blocks.isEmpty(), "the tutorial quotes no code");
        StringBuilder sources = new StringBuilder();
        try (Stream<Path> files = Files.walk(root.resolve("examples/src/main/java"))) {
            for (Path f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
                sources.append(normalise(Files.readString(f)));
            }
        }
        String all = sources.toString();
        for (String b : blocks) {
            assertTrue(all.contains(normalise(b)), "the tutorial quotes code that is not in examples/:\n" + b);
        }
        String services = Files.readString(root.resolve(
                "examples/src/main/resources/META-INF/services/org.lwktlab.lab.experiment.Experiment"));
        assertTrue(services.contains("org.lwktlab.examples.kv.KvExperiment"));
    }
}
