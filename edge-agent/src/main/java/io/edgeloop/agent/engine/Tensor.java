package io.edgeloop.agent.engine;

import java.lang.reflect.Array;
import java.util.Arrays;

/**
 * One named tensor on the Java side of an engine: its element type, shape and a flat, row-major
 * carrier array of the type's Java class (see {@link DataType}). Immutable by convention: the
 * arrays are not copied, so callers hand over ownership.
 */
public record Tensor(String name, DataType type, long[] shape, Object data) {

    public Tensor {
        long expected = elementCount(shape);
        int actual = Array.getLength(data);
        if (expected != actual) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(shape)
                    + " (" + expected + " elements) but " + actual + " values");
        }
    }

    /** A float tensor. */
    public static Tensor of(String name, float[] data, long... shape) {
        return new Tensor(name, DataType.FP32, shape, data);
    }

    public float[] floats() {
        return (float[]) data;
    }

    public int length() {
        return Array.getLength(data);
    }

    /** Rows along the first dimension (1 for a scalar). */
    public long rows() {
        return shape.length == 0 ? 1 : shape[0];
    }

    /** The product of the dimensions; throws when it overflows an int-indexed array. */
    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + type + " " + Arrays.toString(shape) + "]";
    }
}
