package io.edgeloop.packageformat;

import java.util.List;
import java.util.Objects;

/**
 * A model input or output as a client sees it.
 *
 * @param datatype KServe v2 datatype name ({@code FP32}, {@code INT64}, {@code UINT8} ...)
 * @param shape    dimensions, {@code -1} for a dynamic one (usually the batch)
 */
public record TensorSpec(String name, String datatype, List<Long> shape) {

    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(datatype, "datatype");
        shape = List.copyOf(shape);
    }
}
