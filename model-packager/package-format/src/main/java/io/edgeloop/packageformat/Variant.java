package io.edgeloop.packageformat;

import java.util.Objects;

/**
 * One runnable form of the model, e.g. the fp32 original or an int8 quantization.
 *
 * @param id          short id, unique in the package ({@code fp32}, {@code int8})
 * @param file        path of its model file, one of the manifest's files
 * @param precision   numeric precision ({@code fp32}, {@code int8})
 * @param constraints the device profiles it suits
 * @param metrics     what it measured at packaging time
 */
public record Variant(String id, String file, String precision, VariantConstraints constraints,
                      VariantMetrics metrics) {

    public Variant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(precision, "precision");
        constraints = constraints == null ? VariantConstraints.ANY : constraints;
    }
}
