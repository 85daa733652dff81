package org.lwktlab.lwkt.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/research.md quotes the examples in this package: every ```java block there follows a line
 * {@code <!-- snippet: PATH -->} and must appear in that file verbatim (leading indentation aside), so the
 * page cannot drift from code that runs.
 */
class ResearchDocSnippetsTest {
    private static final String MARK = "<!-- snippet: ";

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("docs/research.md"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new AssertionError("docs/research.md not found above " + Path.of("").toAbsolutePath());
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

    private record Snippet(String source, String code, int line) {}

    @Test
    void everyJavaSnippetIsInTheExampleItNames() throws IOException {
        Path root = root();
        List<String> lines = Files.readAllLines(root.resolve("docs/research.md"));
        List<Snippet> snippets = new ArrayList<>();
        String source = null;
        StringBuilder code = null;
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (code == null && l.startsWith(MARK) && l.endsWith("-->")) {
                source = l.substring(MARK.length(), l.length() - 3).strip();
            } else if (code == null && l.equals("```java")) {
                if (source == null) {
                    throw new AssertionError("docs/research.md:" + (i + 1) + ": a java block without a " + MARK
                            + "PATH --> line before it");
                }
                code = new StringBuilder();
                start = i + 1;
            } else if (code != null && l.equals("```")) {
                snippets.add(new Snippet(source, code.toString(), start));
                code = null;
                source = null;
            } else if (code != null) {
                code.append(lines.get(i)).append('\n');
            }
        }
        assertFalse(snippets.size() < 6, "docs/research.md quotes " + snippets.size() + " snippets; expected one or"
                + " more for each of provenance, deterministic replay, chains and cancellation");
        for (Snippet s : snippets) {
            Path f = root.resolve(s.source());
            assertTrue(Files.isRegularFile(f), "docs/research.md:" + s.line() + " names " + s.source()
                    + ", which does not exist");
            assertTrue(normalise(Files.readString(f)).contains(normalise(s.code())),
                    "docs/research.md:" + s.line() + " quotes code that is not in " + s.source() + ":\n" + s.code());
        }
    }
}
