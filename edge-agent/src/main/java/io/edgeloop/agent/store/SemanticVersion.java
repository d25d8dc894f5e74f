package io.edgeloop.agent.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Semantic version order ({@code MAJOR[.MINOR[.PATCH]][-PRERELEASE][+BUILD]}, missing parts 0):
 * numbers compare as numbers, a pre-release sorts below its release, build metadata is ignored.
 * A version that is not of that shape has no place in the order ({@link #parse} is empty), so the
 * downgrade guard cannot judge it and lets it pass.
 */
public record SemanticVersion(long major, long minor, long patch, List<String> preRelease)
        implements Comparable<SemanticVersion> {
    private static final Pattern SHAPE = Pattern.compile(
            "v?(\\d{1,18})(?:\\.(\\d{1,18}))?(?:\\.(\\d{1,18}))?(?:-([0-9A-Za-z.-]+))?(?:\\+[0-9A-Za-z.-]+)?");
    private static final Pattern NUMERIC = Pattern.compile("\\d{1,18}");

    public SemanticVersion {
        preRelease = List.copyOf(preRelease);
    }

    /** The version {@code text} names, or empty when it is not a semantic version. */
    public static Optional<SemanticVersion> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = SHAPE.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        List<String> pre = m.group(4) == null ? List.of() : List.of(m.group(4).split("\\."));
        return Optional.of(new SemanticVersion(Long.parseLong(m.group(1)), number(m.group(2)), number(m.group(3)),
                new ArrayList<>(pre)));
    }

    private static long number(String group) {
        return group == null ? 0 : Long.parseLong(group);
    }

    /** True when both are semantic versions and {@code a} sorts below {@code b}. */
    public static boolean isOlder(String a, String b) {
        Optional<SemanticVersion> x = parse(a);
        Optional<SemanticVersion> y = parse(b);
        return x.isPresent() && y.isPresent() && x.get().compareTo(y.get()) < 0;
    }

    /** The highest semantic version among {@code versions}, if any is one. */
    public static Optional<String> highest(List<String> versions) {
        return versions.stream().filter(v -> parse(v).isPresent())
                .max(Comparator.comparing(v -> parse(v).orElseThrow()));
    }

    @Override
    public int compareTo(SemanticVersion o) {
        int c = Long.compare(major, o.major);
        if (c == 0) {
            c = Long.compare(minor, o.minor);
        }
        if (c == 0) {
            c = Long.compare(patch, o.patch);
        }
        if (c != 0) {
            return c;
        }
        if (preRelease.isEmpty() || o.preRelease.isEmpty()) {
            // A release sorts above its pre-releases.
            return Boolean.compare(preRelease.isEmpty(), o.preRelease.isEmpty());
        }
        for (int i = 0; i < Math.min(preRelease.size(), o.preRelease.size()); i++) {
            String a = preRelease.get(i);
            String b = o.preRelease.get(i);
            boolean an = NUMERIC.matcher(a).matches();
            boolean bn = NUMERIC.matcher(b).matches();
            int d = an && bn ? Long.compare(Long.parseLong(a), Long.parseLong(b))
                    : an != bn ? (an ? -1 : 1) : a.compareTo(b);
            if (d != 0) {
                return d;
            }
        }
        return Integer.compare(preRelease.size(), o.preRelease.size());
    }
}
