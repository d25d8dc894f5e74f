package io.edgeloop.server.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The acceptance points, each checked against what the demo measured; the demo exits non-zero if one fails. */
final class Acceptance {
    /** One point: what it asks, whether it held, and the figures that say so. */
    record Check(String point, boolean passed, String figures) {
    }

    private final List<Check> checks = new ArrayList<>();

    void check(String point, boolean passed, String figures) {
        checks.add(new Check(point, passed, figures));
    }

    boolean passed() {
        return !checks.isEmpty() && checks.stream().allMatch(Check::passed);
    }

    void print(PrintStream out) {
        out.println("      acceptance:");
        for (Check c : checks) {
            out.printf("        [%s] %s: %s%n", c.passed() ? "PASS" : "FAIL", c.point(), c.figures());
        }
    }
}
