package io.edgeloop.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the lines of a program's output that carry its figures. */
public final class OutputLines {
    private OutputLines() {
    }

    /** Every line matching {@code pattern} entirely, as matchers (groups ready). */
    public static List<Matcher> matching(List<String> lines, Pattern pattern) {
        List<Matcher> out = new ArrayList<>();
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            if (m.matches()) {
                out.add(m);
            }
        }
        return out;
    }

    /** The lines that start with {@code prefix}, unchanged. */
    public static List<String> startingWith(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).toList();
    }

    /** The first line that starts with {@code prefix}. */
    public static Optional<String> first(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst();
    }

    /** The groups of a match, from 1. */
    public static List<String> groups(Matcher m) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= m.groupCount(); i++) {
            out.add(m.group(i));
        }
        return out;
    }

    /** The last {@code n} lines. */
    public static List<String> tail(List<String> lines, int n) {
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }
}
