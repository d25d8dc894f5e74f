package io.edgeloop.server.devices;

/**
 * Where the reported state of a device (presence, running model) comes from in SQL: a join and
 * three expressions over it. The MQTT ingest keeps that state in its own table; until it is
 * wired, {@link #NONE} reports every device offline with no model. The ingest's table plugs in
 * as e.g. {@code new DeviceStateColumns("LEFT JOIN device_state s ON s.device_id = d.id",
 * "s.online", "s.model", "s.model_version")}.
 */
public record DeviceStateColumns(String join, String online, String model, String modelVersion) {
    public static final DeviceStateColumns NONE = new DeviceStateColumns("",
            "CAST(NULL AS BOOLEAN)", "CAST(NULL AS VARCHAR(128))", "CAST(NULL AS VARCHAR(64))");
}
