package io.edgeloop.protocol.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.MessageFormatException;
import io.edgeloop.protocol.message.StatusMessage;

/** JSON body of {@link StatusMessage}. */
final class StatusJson implements MessageMapping<StatusMessage> {
    @Override
    public String schema() {
        return StatusMessage.SCHEMA;
    }

    @Override
    public Class<StatusMessage> type() {
        return StatusMessage.class;
    }

    @Override
    public void write(StatusMessage message, ObjectNode out) {
        out.put("online", message.online());
        if (message.reason() != null) {
            out.put("reason", message.reason());
        }
    }

    @Override
    public StatusMessage read(Header header, JsonFields in) throws MessageFormatException {
        return new StatusMessage(header.deviceId(), header.ts(), header.seq(), in.bool("online"),
                in.optionalText("reason"));
    }
}
