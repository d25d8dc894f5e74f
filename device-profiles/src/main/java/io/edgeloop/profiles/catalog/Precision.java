package io.edgeloop.profiles.catalog;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The numeric precision a device class runs models at by preference. */
public enum Precision {
    INT8,
    FP16,
    FP32;

    /** The lower-case name used in YAML, JSON and package manifests ({@code int8}, {@code fp16}, {@code fp32}). */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code int8}, {@code fp16} or {@code fp32}, in any case. */
    @JsonCreator
    public static Precision parse(String text) {
        for (Precision p : values()) {
            if (p.wireName().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + text + "' (expected int8, fp16 or fp32)");
    }
}
