package org.lwktlab.metrics.stat;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A counter's label in a counters file, parsed: {@code name{k="v",...}} as {@link
 * org.lwktlab.metrics.probe.MetricId#key} writes it (values escaped as in the Prometheus text format).
 *
 * @param name   metric name
 * @param labels label values by name, in order
 */
public record CounterKey(String name, Map<String, String> labels) {

    /** The value of label {@code k}, or null. */
    public String label(String k) {
        return labels.get(k);
    }

    /**
     * Parses a label; null if it is not in that form (a label Agrona cut at its maximum length, or a
     * counter some other tool wrote).
     */
    public static CounterKey parse(String s) {
        int brace = s.indexOf('{');
        if (brace < 0) {
            return s.isEmpty() ? null : new CounterKey(s, Map.of());
        }
        if (brace == 0 || !s.endsWith("}")) {
            return null;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        int i = brace + 1;
        int end = s.length() - 1;
        while (i < end) {
            int eq = s.indexOf("=\"", i);
            if (eq < 0) {
                return null;
            }
            String k = s.substring(i, eq);
            StringBuilder v = new StringBuilder();
            int j = eq + 2;
            for (;; j++) {
                if (j >= end) {
                    return null;
                }
                char c = s.charAt(j);
                if (c == '\\' && j + 1 < end) {
                    char n = s.charAt(++j);
                    v.append(n == 'n' ? '\n' : n);
                } else if (c == '"') {
                    break;
                } else {
                    v.append(c);
                }
            }
            labels.put(k, v.toString());
            i = j + 1;
            if (i < end) {
                if (s.charAt(i) != ',') {
                    return null;
                }
                i++;
            }
        }
        return new CounterKey(s.substring(0, brace), labels);
    }
}
