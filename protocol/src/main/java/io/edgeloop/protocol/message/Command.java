package io.edgeloop.protocol.message;

import java.time.Instant;
import java.util.Map;

/**
 * A server command to one agent on {@code cmd/{name}}, where the topic level is
 * {@code name.wireName()}.
 *
 * @param deviceId the device the command is for
 * @param ts creation time
 * @param seq per-device sequence number (server to agent)
 * @param name which command
 * @param args the command's arguments as strings; may be empty
 */
public record Command(String deviceId, Instant ts, long seq, CommandName name, Map<String, String> args)
        implements Message {
    /** Schema id of this record. */
    public static final String SCHEMA = "edgeloop.command/1";

    public Command {
        FieldChecks.header(deviceId, ts, seq);
        FieldChecks.present("name", name);
        args = FieldChecks.textMap("args", args);
    }

    @Override
    public String schema() {
        return SCHEMA;
    }
}
