package io.edgeloop.protocol.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.MessageFormatException;
import io.edgeloop.protocol.message.Message;
import java.time.Instant;

/**
 * How one message record maps to its JSON body. The codec writes and reads the common header
 * ({@code schema}, {@code deviceId}, {@code ts}, {@code seq}); a mapping handles the rest.
 */
interface MessageMapping<T extends Message> {
    /** The header fields, read before the body. */
    record Header(String deviceId, Instant ts, long seq) {
    }

    /** The schema id this mapping reads and writes. */
    String schema();

    /** The record type. */
    Class<T> type();

    /** Writes the body fields; absent optional values are left out. */
    void write(T message, ObjectNode out);

    /** Reads the body fields and builds the record. */
    T read(Header header, JsonFields in) throws MessageFormatException;
}
