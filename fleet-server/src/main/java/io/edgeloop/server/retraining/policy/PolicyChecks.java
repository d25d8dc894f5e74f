package io.edgeloop.server.retraining.policy;

import java.time.Duration;

/** Validation of policy fields: each failure names the field and the value. */
final class PolicyChecks {
    private PolicyChecks() {
    }

    static void positive(String field, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + " must be a positive ISO-8601 duration, was " + d);
        }
    }

    static void notNegative(String field, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(field + " must be a duration of zero or more, was " + d);
        }
    }

    static void atLeast(String field, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be at least " + min + ", was " + value);
        }
    }

    static void optionalUnit(String field, Double value) {
        if (value != null && !(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(field + " must be in [0, 1] or null, was " + value);
        }
    }

    static void fraction(String field, double value, boolean closedAtOne) {
        if (!(value > 0 && (closedAtOne ? value <= 1 : value < 1))) {
            throw new IllegalArgumentException(field + " must be in (0, 1" + (closedAtOne ? "]" : ")") + ", was " + value);
        }
    }

    static String text(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        return value;
    }
}
