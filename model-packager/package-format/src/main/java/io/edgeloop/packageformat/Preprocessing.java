package io.edgeloop.packageformat;

import java.util.Objects;

/**
 * What a client does to raw data before sending it. The exported models carry their own
 * normalisation nodes, so this only says how raw pixels become the model's {@code [0, 1]} floats.
 *
 * @param scale  factor applied to raw values (e.g. {@code 1/255} for 8-bit pixels)
 * @param layout tensor layout of the input, e.g. {@code NCHW}, or {@code NC} for tabular rows
 */
public record Preprocessing(double scale, String layout) {

    /** 8-bit images scaled to [0, 1], channels first. */
    public static final Preprocessing IMAGE_UNIT_SCALE = new Preprocessing(1.0 / 255.0, "NCHW");

    /**
     * Clients send 8-bit pixels scaled to [0, 1], as images (NCHW) or flattened rows (NC) as the model takes them.
     *
     * @param inputRank rank of the model's first input: 4 for images, 2 for rows
     */
    public static Preprocessing unitScaleFor(int inputRank) {
        return inputRank == 4 ? IMAGE_UNIT_SCALE : new Preprocessing(IMAGE_UNIT_SCALE.scale(), "NC");
    }

    public Preprocessing {
        Objects.requireNonNull(layout, "layout");
    }
}
