package io.edgeloop.protocol.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.MessageFormatException;
import io.edgeloop.protocol.message.Command;
import io.edgeloop.protocol.message.CommandName;
import io.edgeloop.protocol.topic.TopicSegments;
import java.util.Arrays;

/** JSON body of {@link Command}; the name travels as its lower-case wire name. */
final class CommandJson implements MessageMapping<Command> {
    @Override
    public String schema() {
        return Command.SCHEMA;
    }

    @Override
    public Class<Command> type() {
        return Command.class;
    }

    @Override
    public void write(Command command, ObjectNode out) {
        out.put("name", command.name().wireName());
        ValueJson.writeMap(command.args(), out.putObject("args"));
    }

    @Override
    public Command read(Header header, JsonFields in) throws MessageFormatException {
        String wireName = in.text("name");
        CommandName name = CommandName.fromWireName(wireName);
        if (name == null) {
            throw new MessageFormatException(in.path("name"), "must be one of "
                    + Arrays.stream(CommandName.values()).map(CommandName::wireName).toList()
                    + ", was " + TopicSegments.printable(wireName));
        }
        return new Command(header.deviceId(), header.ts(), header.seq(), name, in.textMap("args"));
    }
}
