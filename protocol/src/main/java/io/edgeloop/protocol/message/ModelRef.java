package io.edgeloop.protocol.message;

/**
 * One model version as a device runs it.
 *
 * @param name model name from the package manifest
 * @param version semantic version from the package manifest
 * @param variant the package variant in use, e.g. {@code fp32} or {@code int8}
 */
public record ModelRef(String name, String version, String variant) {
    public ModelRef {
        FieldChecks.text("name", name);
        FieldChecks.text("version", version);
        FieldChecks.text("variant", variant);
    }
}
