package org.lwktlab.metrics.probe;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An immutable, ordered set of Prometheus-style labels ({@code cpu="0", port="netisr0"}).
 *
 * <p>Built at registration time only; nothing on a hot path creates one.
 */
public final class Labels {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Labels EMPTY = new Labels(Collections.emptyMap());

    private final Map<String, String> map;

    private Labels(Map<String, String> map) {
        this.map = map;
    }

    /** No labels. */
    public static Labels empty() {
        return EMPTY;
    }

    /**
     * Labels from alternating key/value strings: {@code Labels.of("cpu", "0", "port", "p")}.
     *
     * @throws IllegalArgumentException on an odd count, a bad label name or a null value
     */
    public static Labels of(String... keyValues) {
        return EMPTY.and(keyValues);
    }

    /** These labels plus more; a repeated key takes the new value. */
    public Labels and(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("labels need key/value pairs, got " + keyValues.length + " strings");
        }
        Map<String, String> m = new LinkedHashMap<>(map);
        for (int i = 0; i < keyValues.length; i += 2) {
            String k = keyValues[i];
            String v = keyValues[i + 1];
            if (k == null || !NAME.matcher(k).matches()) {
                throw new IllegalArgumentException("bad label name '" + k + "': must match " + NAME.pattern());
            }
            m.put(k, Objects.requireNonNull(v, () -> "label '" + k + "' has a null value"));
        }
        return new Labels(Collections.unmodifiableMap(m));
    }

    /** These labels plus {@code other}'s; {@code other} wins on a repeated key. */
    public Labels and(Labels other) {
        if (other.map.isEmpty()) {
            return this;
        }
        Map<String, String> m = new LinkedHashMap<>(map);
        m.putAll(other.map);
        return new Labels(Collections.unmodifiableMap(m));
    }

    /** The value of {@code key}, or null. */
    public String get(String key) {
        return map.get(key);
    }

    /** The labels as an ordered, unmodifiable map. */
    public Map<String, String> asMap() {
        return map;
    }

    /** Keys in order. */
    public List<String> keys() {
        return new ArrayList<>(map.keySet());
    }

    public boolean isEmpty() {
        return map.isEmpty();
    }

    /** Prometheus exposition form: {@code {cpu="0",port="p"}}, or the empty string. */
    @Override
    public String toString() {
        if (map.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(e.getKey()).append("=\"").append(escape(e.getValue())).append('"');
        }
        return sb.append('}').toString();
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels l && l.map.equals(map);
    }

    @Override
    public int hashCode() {
        return map.hashCode();
    }
}
