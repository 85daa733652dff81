package org.lwktlab.lwkt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Kernel#shutdown()} found: whether every message sent was replied, which handlers threw,
 * and what subsystems still held (their leak reports). Nothing is lost silently: if something was,
 * it is here.
 *
 * @param kernel          the kernel's name
 * @param messagesSent    messages sent over the kernel's life
 * @param messagesReplied messages replied (or dropped)
 * @param handlerErrors   total handler errors
 * @param errors          the first errors recorded
 * @param sections        subsystem reports: a title and its lines (e.g. "slab leaks")
 * @param problems        things that are wrong (outstanding messages, leaks, CPUs that did not stop)
 */
public record ShutdownReport(String kernel, long messagesSent, long messagesReplied, long handlerErrors,
                             List<HandlerError> errors, Map<String, List<String>> sections, List<String> problems) {

    /** Messages sent but never replied. */
    public long outstanding() {
        return messagesSent - messagesReplied;
    }

    /** True when nothing is outstanding, leaked or stuck (handler errors alone do not make it unclean). */
    public boolean clean() {
        return problems.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("kernel ").append(kernel).append(" shut down: ").append(messagesSent).append(" messages sent, ")
                .append(messagesReplied).append(" replied, ").append(handlerErrors).append(" handler errors");
        for (String p : problems) {
            sb.append("\n  PROBLEM: ").append(p);
        }
        for (Map.Entry<String, List<String>> s : sections.entrySet()) {
            sb.append("\n  ").append(s.getKey()).append(':');
            for (String line : s.getValue()) {
                sb.append("\n    ").append(line);
            }
        }
        return sb.toString();
    }

    /** Collects a report; participants add sections and problems. Thread-safe. */
    public static final class Builder {
        private final Map<String, List<String>> sections = new LinkedHashMap<>();
        private final List<String> problems = new ArrayList<>();

        Builder() {}

        /** Adds a line to section {@code title}. */
        public synchronized Builder line(String title, String line) {
            sections.computeIfAbsent(title, k -> new ArrayList<>()).add(line);
            return this;
        }

        /** Records something wrong (a leak, an unreplied message). */
        public synchronized Builder problem(String problem) {
            problems.add(problem);
            return this;
        }

        synchronized ShutdownReport build(String kernel, long sent, long replied, long errors, List<HandlerError> first) {
            Map<String, List<String>> s = new LinkedHashMap<>();
            sections.forEach((k, v) -> s.put(k, List.copyOf(v)));
            return new ShutdownReport(kernel, sent, replied, errors, List.copyOf(first),
                    Collections.unmodifiableMap(s), List.copyOf(problems));
        }
    }
}
