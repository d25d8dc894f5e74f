package io.edgeloop.agent.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.edgeloop.agent.engine.DataType;

import java.io.IOException;
import java.lang.reflect.Array;

/** Reads JSON scalars into one tensor's carrier array, checking type and range of each. */
final class TensorDataReader {
    private final DataType type;
    private final Object out;
    private final int capacity;
    private final int index;
    private int count;

    TensorDataReader(DataType type, Object out, int index) {
        this.type = type;
        this.out = out;
        this.capacity = Array.getLength(out);
        this.index = index;
    }

    int count() {
        return count;
    }

    void read(JsonParser p, JsonToken t) throws IOException {
        if (count == capacity) {
            throw new BadRequestException("inputs[" + index + "] has more values than its shape allows ("
                    + capacity + ")");
        }
        switch (type) {
            case FP32 -> {
                number(t);
                float v = p.getFloatValue();
                finite(Float.isFinite(v), p);
                ((float[]) out)[count] = v;
            }
            case FP64 -> {
                number(t);
                double v = p.getDoubleValue();
                finite(Double.isFinite(v), p);
                ((double[]) out)[count] = v;
            }
            case INT8 -> ((byte[]) out)[count] = (byte) integer(p, t, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case UINT8 -> ((byte[]) out)[count] = (byte) integer(p, t, 0, 255);
            case INT16 -> ((short[]) out)[count] = (short) integer(p, t, Short.MIN_VALUE, Short.MAX_VALUE);
            case INT32 -> ((int[]) out)[count] = (int) integer(p, t, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case INT64 -> ((long[]) out)[count] = integer(p, t, Long.MIN_VALUE, Long.MAX_VALUE);
            case BOOL -> {
                if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                    throw new BadRequestException("inputs[" + index + "] is BOOL but holds " + describe(t));
                }
                ((byte[]) out)[count] = (byte) (t == JsonToken.VALUE_TRUE ? 1 : 0);
            }
            case BYTES -> {
                if (t != JsonToken.VALUE_STRING) {
                    throw new BadRequestException("inputs[" + index + "] is BYTES but holds " + describe(t));
                }
                ((String[]) out)[count] = p.getText();
            }
        }
        count++;
    }

    private void number(JsonToken t) {
        if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
            throw new BadRequestException("inputs[" + index + "] is " + type + " but holds " + describe(t));
        }
    }

    private void finite(boolean finite, JsonParser p) throws IOException {
        if (!finite) {
            throw new BadRequestException("inputs[" + index + "] holds " + p.getText() + ", which is not a finite " + type);
        }
    }

    private long integer(JsonParser p, JsonToken t, long min, long max) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw new BadRequestException("inputs[" + index + "] is " + type + " but holds " + describe(t));
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new BadRequestException("inputs[" + index + "] value " + p.getText() + " is out of range for " + type);
        }
        long v = p.getLongValue();
        if (v < min || v > max) {
            throw new BadRequestException("inputs[" + index + "] value " + v + " is out of range for " + type);
        }
        return v;
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_OBJECT -> "an object";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }
}
