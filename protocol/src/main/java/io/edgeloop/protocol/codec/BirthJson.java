package io.edgeloop.protocol.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.MessageFormatException;
import io.edgeloop.protocol.message.BirthMessage;

/** JSON body of {@link BirthMessage}. */
final class BirthJson implements MessageMapping<BirthMessage> {
    @Override
    public String schema() {
        return BirthMessage.SCHEMA;
    }

    @Override
    public Class<BirthMessage> type() {
        return BirthMessage.class;
    }

    @Override
    public void write(BirthMessage message, ObjectNode out) {
        out.put("profileId", message.profileId());
        ValueJson.write(message.hardware(), out.putObject("hardware"));
        out.put("agentVersion", message.agentVersion());
        ValueJson.writeModels(message.models(), out.putArray("models"));
    }

    @Override
    public BirthMessage read(Header header, JsonFields in) throws MessageFormatException {
        return new BirthMessage(header.deviceId(), header.ts(), header.seq(), in.text("profileId"),
                in.object("hardware", ValueJson::readHardware), in.text("agentVersion"),
                in.objects("models", ValueJson::readModel));
    }
}
