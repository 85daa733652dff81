package org.lwktlab.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test helper: the Grafana dashboard's PromQL, and the metric names it uses. */
final class Dashboard {
    private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "inf", "nan");

    private Dashboard() {}

    /** metrics/grafana/dashboards/lwkt-lab.json, found from the module's directory upwards. */
    static Path file() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path f = d.resolve("metrics/grafana/dashboards/lwkt-lab.json");
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new IllegalStateException("metrics/grafana/dashboards/lwkt-lab.json not found above " + Path.of("").toAbsolutePath());
    }

    static JsonNode json() throws IOException {
        return new ObjectMapper().readTree(file().toFile());
    }

    /** Every panel target's {@code expr} and every query variable's query. */
    static List<String> expressions(JsonNode dash) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : dash.path("panels")) {
            for (JsonNode t : p.path("targets")) {
                out.add(t.path("expr").asText());
            }
        }
        for (JsonNode v : dash.path("templating").path("list")) {
            out.add(v.path("definition").asText());
        }
        return out;
    }

    /** The metric names a PromQL expression (or a Grafana {@code label_values(...)} query) reads. */
    static Set<String> metricNames(String expr) {
        String e = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")    // string literals
                .replaceAll("\\{[^}]*}", "")                           // label matchers
                .replaceAll("\\[[^]]*]", "")                           // range selectors
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "")
                .replaceAll("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,[^)]*\\)", "$1");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENT.matcher(e);
        while (m.find()) {
            String id = m.group();
            int after = m.end();
            while (after < e.length() && Character.isWhitespace(e.charAt(after))) {
                after++;
            }
            boolean call = after < e.length() && e.charAt(after) == '(';
            boolean number = m.start() > 0 && Character.isDigit(e.charAt(m.start() - 1));
            if (!call && !number && !KEYWORDS.contains(id) && !id.startsWith("$")) {
                names.add(id);
            }
        }
        return names;
    }

    /** The expression with Grafana's variables replaced so Prometheus can run it. */
    static String resolve(String expr) {
        return expr.replace("$__rate_interval", "4s").replace("\"$design\"", "\".*\"").replace("\"$experiment\"", "\".*\"")
                .replace("\"$cpu\"", "\".*\"");
    }
}
