package io.edgeloop.agent.engine;

import java.util.Locale;

/**
 * Tensor element types, named as the KServe Open Inference Protocol v2 names them. Each type has
 * one Java carrier array: FP32 {@code float[]}, FP64 {@code double[]}, INT8/UINT8/BOOL
 * {@code byte[]} (BOOL as 0/1, UINT8 as the unsigned byte's low 8 bits), INT16 {@code short[]},
 * INT32 {@code int[]}, INT64 {@code long[]}, BYTES {@code String[]}.
 */
public enum DataType {
    FP32, FP64, INT8, INT16, INT32, INT64, UINT8, BOOL, BYTES;

    /** The type named {@code name} (case-insensitive), or null when the protocol has no such type we serve. */
    public static DataType parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A new zero-filled carrier array of {@code length} elements. */
    public Object newArray(int length) {
        return switch (this) {
            case FP32 -> new float[length];
            case FP64 -> new double[length];
            case INT8, UINT8, BOOL -> new byte[length];
            case INT16 -> new short[length];
            case INT32 -> new int[length];
            case INT64 -> new long[length];
            case BYTES -> new String[length];
        };
    }
}
