package io.edgeloop.server.rollout.policy;

import io.edgeloop.protocol.InvalidFieldException;

/** The value checks the policy records share; each names the field it refuses. */
final class PolicyChecks {
    private PolicyChecks() {
    }

    static <T> T present(String field, T value) {
        if (value == null) {
            throw new InvalidFieldException(field, "is missing");
        }
        return value;
    }

    static int atLeast(String field, int value, int min) {
        if (value < min) {
            throw new InvalidFieldException(field, "must be >= " + min + ", was " + value);
        }
        return value;
    }

    static long atLeast(String field, long value, long min) {
        if (value < min) {
            throw new InvalidFieldException(field, "must be >= " + min + ", was " + value);
        }
        return value;
    }

    static int between(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidFieldException(field, "must be in " + min + ".." + max + ", was " + value);
        }
        return value;
    }

    /** A finite number in [min, max]. */
    static double between(String field, double value, double min, double max) {
        if (!Double.isFinite(value) || value < min || value > max) {
            throw new InvalidFieldException(field, "must be a number in [" + min + ", " + max + "], was " + value);
        }
        return value;
    }

    /** NaN (the check is off) or a finite number in [min, max]. */
    static double offOrBetween(String field, double value, double min, double max) {
        return Double.isNaN(value) ? value : between(field, value, min, max);
    }

    /** Null or a finite number in [min, max]. */
    static Double optionalBetween(String field, Double value, double min, double max) {
        return value == null ? null : between(field, value, min, max);
    }
}
