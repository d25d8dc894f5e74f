package io.edgeloop.packager.onnx;

import java.util.List;

/**
 * A graph input or output as a user sees it: its name, element type and shape. Dynamic
 * dimensions are {@code -1} in {@link #shape()}; their symbolic names (e.g. {@code batch}) are in
 * {@link #dimNames()} at the same index ({@code ""} for fixed or unnamed dimensions).
 *
 * @param name     tensor name in the graph
 * @param dataType ONNX element type name, e.g. {@code FLOAT}, {@code INT64}
 * @param shape    dimension sizes, {@code -1} where dynamic
 * @param dimNames symbolic dimension names, {@code ""} where none
 */
public record TensorInfo(String name, String dataType, List<Long> shape, List<String> dimNames) {

    public TensorInfo {
        shape = List.copyOf(shape);
        dimNames = List.copyOf(dimNames);
        if (shape.size() != dimNames.size()) {
            throw new IllegalArgumentException(name + ": " + shape.size() + " dims but " + dimNames.size() + " names");
        }
    }

    /** The shape as an array, {@code -1} where dynamic. */
    public long[] shapeArray() {
        return shape.stream().mapToLong(Long::longValue).toArray();
    }

    /** Product of the fixed dimensions after the first (the batch) one: the width of one sample. */
    public long sampleWidth() {
        long w = 1;
        for (int i = 1; i < shape.size(); i++) {
            w *= Math.max(1, shape.get(i));
        }
        return w;
    }

    /** {@code [batch, 784]}, {@code [batch, 1, 28, 28]}: names for dynamic dims, numbers otherwise. */
    public String shapeText() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            long d = shape.get(i);
            sb.append(d >= 0 ? Long.toString(d) : dimNames.get(i).isEmpty() ? "?" : dimNames.get(i));
        }
        return sb.append(']').toString();
    }
}
