package org.lwktlab.lab.report;

import java.awt.Color;

/** A small HTML builder: {@link #text} escapes, {@link #raw} does not. Not thread-safe. */
final class Html {
    private final StringBuilder sb = new StringBuilder(64 * 1024);

    Html raw(String s) {
        sb.append(s);
        return this;
    }

    /** Appends {@code s} with {@code & < > " '} escaped: safe in text and in quoted attributes. */
    Html text(String s) {
        if (s == null) {
            return this;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return this;
    }

    /** A small square in {@code c}: the design's colour in the plots. */
    Html swatch(Color c) {
        return raw(String.format("<span class=\"swatch\" style=\"background:#%06x\"></span>", c.getRGB() & 0xffffff));
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
