package io.edgeloop.protocol.message;

import io.edgeloop.protocol.InvalidFieldException;
import io.edgeloop.protocol.topic.TopicSegments;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The checks the records' compact constructors share; each names the field it refuses. */
final class FieldChecks {
    private FieldChecks() {
    }

    /** The header every message carries. */
    static void header(String deviceId, Instant ts, long seq) {
        TopicSegments.require("deviceId", deviceId);
        present("ts", ts);
        nonNegative("seq", seq);
    }

    static <T> T present(String field, T value) {
        if (value == null) {
            throw new InvalidFieldException(field, "is missing");
        }
        return value;
    }

    static String text(String field, String value) {
        present(field, value);
        if (value.isBlank()) {
            throw new InvalidFieldException(field, "is blank");
        }
        return value;
    }

    static String optionalText(String field, String value) {
        return value == null ? null : text(field, value);
    }

    static long nonNegative(String field, long value) {
        if (value < 0) {
            throw new InvalidFieldException(field, "must be >= 0, was " + value);
        }
        return value;
    }

    static double nonNegative(String field, double value) {
        finite(field, value);
        if (value < 0) {
            throw new InvalidFieldException(field, "must be >= 0, was " + value);
        }
        return value;
    }

    static double finite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new InvalidFieldException(field, "must be a finite number, was " + value);
        }
        return value;
    }

    /** A probability or rate in [0, 1]. */
    static double unit(String field, double value) {
        finite(field, value);
        if (value < 0 || value > 1) {
            throw new InvalidFieldException(field, "must be in [0, 1], was " + value);
        }
        return value;
    }

    static Double optionalUnit(String field, Double value) {
        return value == null ? null : unit(field, value);
    }

    /** An immutable copy that refuses null elements, naming the index. */
    static <T> List<T> list(String field, List<T> values) {
        present(field, values);
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw new InvalidFieldException(field + "[" + i + "]", "is missing");
            }
        }
        return List.copyOf(values);
    }

    /** A list of non-blank strings. */
    static List<String> textList(String field, List<String> values) {
        List<String> copy = list(field, values);
        for (int i = 0; i < copy.size(); i++) {
            text(field + "[" + i + "]", copy.get(i));
        }
        return copy;
    }

    /**
     * An immutable, key-sorted copy (so encoding is deterministic and equality does not depend on
     * the caller's map type) with non-blank keys and non-null values.
     */
    static Map<String, String> textMap(String field, Map<String, String> values) {
        present(field, values);
        TreeMap<String, String> copy = new TreeMap<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            String key = entry.getKey();
            if (key == null || key.isBlank()) {
                throw new InvalidFieldException(field, "has a blank key");
            }
            present(field + "." + key, entry.getValue());
            copy.put(key, entry.getValue());
        }
        return Collections.unmodifiableMap(copy);
    }
}
