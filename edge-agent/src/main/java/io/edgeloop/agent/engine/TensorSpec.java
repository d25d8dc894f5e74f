package io.edgeloop.agent.engine;

import java.util.Arrays;

/**
 * A model input or output as the engine declares it. A dimension of -1 is dynamic (any size);
 * a model whose inputs all have a dynamic first dimension can be batched.
 */
public record TensorSpec(String name, DataType type, long[] shape) {

    /** Whether {@code actual} fits this spec's shape (same rank, equal fixed dimensions). */
    public boolean accepts(long[] actual) {
        if (actual.length != shape.length) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] >= 0 && shape[i] != actual[i]) {
                return false;
            }
        }
        return true;
    }

    public boolean batchable() {
        return shape.length > 0 && shape[0] < 0;
    }

    /** Elements in one row (the product of all but the first dimension; dynamic ones count as 1). */
    public long rowWidth() {
        long n = 1;
        for (int i = 1; i < shape.length; i++) {
            n *= Math.max(1, shape[i]);
        }
        return n;
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape);
    }
}
