package org.lwktlab.lab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lwktlab.lab.TestRuns;

/**
 * results.json round-trips without losing anything, every field it holds is documented in
 * docs/results-schema.md, older files still read, and newer or foreign ones are refused by name.
 */
class ResultsSchemaTest {
    /** Objects whose keys are data (metric names, settings), not schema fields. */
    private static final Set<String> DATA_KEYED = Set.of("derived", "per_op", "counters", "probes", "depth", "hwm",
            "params", "kernel");

    @Test
    void writeReadWriteIsTheSameJson(@TempDir Path dir) throws IOException {
        RunResults r = TestRuns.openLoop();
        ResultsWriter.write(r, dir);
        RunResults back = ResultsWriter.read(dir);
        Path again = dir.resolve("again");
        ResultsWriter.write(back, again);
        List<String> first = Files.readAllLines(dir.resolve("results.json"));
        List<String> second = Files.readAllLines(again.resolve("results.json"));
        for (int i = 0; i < Math.min(first.size(), second.size()); i++) {
            assertEquals(first.get(i), second.get(i), "results.json changed on a read/write round trip at line " + (i + 1));
        }
        assertEquals(first.size(), second.size(), "results.json changed length on a read/write round trip");
        assertEquals(RunResults.SCHEMA_VERSION, back.schemaVersion());
        assertEquals(r.runs().size(), back.runs().size());
        TrialRecord t = back.runs().getFirst();
        assertEquals(r.runs().getFirst().latencyNs(), t.latencyNs());
        assertEquals(r.runs().getFirst().histogram().getTotalCount(), t.histogram().getTotalCount(),
                "the latency histogram survives encoding");
        assertEquals(2000.0, t.offeredRate());
        assertEquals("open", back.config().load());
        assertEquals(r.comparisons(), back.comparisons());
        assertTrue(Files.readString(dir.resolve("runs.csv")).lines().count() == r.runs().size() + 1);
        assertTrue(Files.readString(dir.resolve("comparisons.csv")).lines().count() == r.comparisons().size() + 1);
    }

    @Test
    void everyFieldIsDocumented() throws IOException {
        Path doc = Path.of("..", "docs", "results-schema.md");
        assertTrue(Files.isRegularFile(doc), "docs/results-schema.md is missing");
        String text = Files.readString(doc);
        assertTrue(text.contains("schema_version") && text.contains("version " + RunResults.SCHEMA_VERSION),
                "the schema doc must state the current version " + RunResults.SCHEMA_VERSION);
        Set<String> fields = new TreeSet<>();
        fields(ResultsWriter.mapper().valueToTree(TestRuns.openLoop()), fields);
        fields(ResultsWriter.mapper().valueToTree(TestRuns.closedLoop()), fields);
        Set<String> missing = new TreeSet<>();
        for (String f : fields) {
            if (!text.contains("`" + f + "`")) {
                missing.add(f);
            }
        }
        assertTrue(missing.isEmpty(), "fields of results.json not in docs/results-schema.md: " + missing);
    }

    private static void fields(JsonNode n, Set<String> out) {
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.add(e.getKey());
                if (!DATA_KEYED.contains(e.getKey())) {
                    fields(e.getValue(), out);
                }
            }
        } else if (n.isArray()) {
            n.forEach(x -> fields(x, out));
        }
    }

    @Test
    void aSchemaOneFileStillReads(@TempDir Path dir) throws IOException {
        String v1 = """
                {"schema_version":1,"experiment":"shared-update","question":"q","complete":true,
                 "started":"s","finished":"f","command":"bin/lab run shared-update",
                 "machine":{"cores":2,"jdk":"25","vm":"vm","os":"os","pinning_supported":true,"pinned":true,"oversubscribed":false},
                 "config":{"designs":["message"],"cpus":[2],"warmup_s":1.0,"duration_s":2.0,"trials":1,"seed":1,
                           "load":"closed","rate":null,"pin":"auto","params":{},"kernel":{}},
                 "runs":[{"design":"message","cpus":2,"trial":1,"order":1,"pinned":true,"ops":10,"elapsed_s":1.0,
                          "ops_per_sec":10.0,"latency_ns":{"count":10,"mean":5.0,"p50":5,"p90":6,"p99":7,"p999":8,"max":9},
                          "derived":{},"per_op":{},"counters":{},"checks":[{"name":"c","ok":true,"detail":""}]}],
                 "summary":[]}
                """;
        Files.writeString(dir.resolve("results.json"), v1);
        RunResults r = ResultsWriter.read(dir);
        assertEquals(1, r.schemaVersion());
        assertEquals(10.0, r.runs().getFirst().opsPerSec());
        assertEquals(0, r.runs().getFirst().histogram().getTotalCount());
        assertNotNull(r.comparisons());
    }

    @Test
    void aNewerSchemaIsRefusedByName(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("results.json"), "{\"schema_version\":99,\"experiment\":\"x\",\"config\":{}}");
        IOException e = assertThrows(IOException.class, () -> ResultsWriter.read(dir));
        assertTrue(e.getMessage().contains("schema 99") && e.getMessage().contains("up to " + RunResults.SCHEMA_VERSION),
                e.getMessage());
    }
}
