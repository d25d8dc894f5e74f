package io.edgeloop.protocol.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.InvalidFieldException;
import io.edgeloop.protocol.MessageFormatException;
import io.edgeloop.protocol.message.BirthMessage;
import io.edgeloop.protocol.message.CaptureBatch;
import io.edgeloop.protocol.message.Command;
import io.edgeloop.protocol.message.DriftReport;
import io.edgeloop.protocol.message.HealthReport;
import io.edgeloop.protocol.message.JobDocument;
import io.edgeloop.protocol.message.JobExecutionUpdate;
import io.edgeloop.protocol.message.LabelBatch;
import io.edgeloop.protocol.message.Message;
import io.edgeloop.protocol.message.StatusMessage;
import io.edgeloop.protocol.topic.DeviceTopic;
import io.edgeloop.protocol.topic.TopicKind;
import io.edgeloop.protocol.topic.TopicSegments;
import io.edgeloop.protocol.topic.Topics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Encodes messages to UTF-8 JSON and decodes them back. Decoding is strict about what it needs
 * and blind to what it does not: unknown fields are ignored (a newer peer may add some), and any
 * input that cannot become a valid record — bad or truncated JSON, invalid UTF-8, wrong types,
 * missing or invalid fields, duplicate keys, a wrong schema id, deep nesting, an oversize
 * document — ends in one checked {@link MessageFormatException} naming the field at fault.
 * Nothing else escapes, so a consumer logs, drops the message and carries on.
 *
 * <p>Thread-safe; build one per process and share it.
 */
public final class MessageCodec {
    private static final List<MessageMapping<?>> MAPPINGS = List.of(new BirthJson(), new StatusJson(),
            new JobDocumentJson(), new JobUpdateJson(), new HealthJson(), new DriftJson(), new CommandJson(),
            new CaptureJson(), new LabelJson());

    private final CodecOptions options;
    private final ObjectMapper mapper;
    private final Map<Class<?>, MessageMapping<?>> byType;
    private final Map<String, MessageMapping<?>> bySchema;
    private final Map<TopicKind, MessageMapping<?>> byTopic;

    /** A codec with {@link CodecOptions#DEFAULTS}. */
    public MessageCodec() {
        this(CodecOptions.DEFAULTS);
    }

    public MessageCodec(CodecOptions options) {
        this.options = options;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(options.maxNestingDepth())
                        .maxNumberLength(options.maxNumberLength())
                        .maxStringLength(options.maxMessageBytes())
                        .build())
                // A duplicate key is an attempt to show two readers two different values.
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = JsonMapper.builder(factory)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        this.byType = MAPPINGS.stream().collect(Collectors.toMap(MessageMapping::type, Function.identity()));
        this.bySchema = MAPPINGS.stream().collect(Collectors.toMap(MessageMapping::schema, Function.identity()));
        this.byTopic = new EnumMap<>(TopicKind.class);
        byTopic.put(TopicKind.BIRTH, byType.get(BirthMessage.class));
        byTopic.put(TopicKind.STATUS, byType.get(StatusMessage.class));
        byTopic.put(TopicKind.JOB_NOTIFY, byType.get(JobDocument.class));
        byTopic.put(TopicKind.JOB_UPDATE, byType.get(JobExecutionUpdate.class));
        byTopic.put(TopicKind.HEALTH, byType.get(HealthReport.class));
        byTopic.put(TopicKind.DRIFT, byType.get(DriftReport.class));
        byTopic.put(TopicKind.COMMAND, byType.get(Command.class));
        byTopic.put(TopicKind.CAPTURES, byType.get(CaptureBatch.class));
        byTopic.put(TopicKind.LABELS, byType.get(LabelBatch.class));
    }

    /**
     * The message as UTF-8 JSON with the header first.
     *
     * @throws InvalidFieldException if the encoding exceeds {@link CodecOptions#maxMessageBytes()}
     *     (the receiver would refuse it)
     */
    public byte[] encode(Message message) {
        ObjectNode out = mapper.createObjectNode();
        out.put("schema", message.schema());
        out.put("deviceId", message.deviceId());
        out.put("ts", message.ts().toString());
        out.put("seq", message.seq());
        writeBody(mappingFor(message.getClass()), message, out);
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree of strings and numbers failed to serialize", e);
        }
        if (bytes.length > options.maxMessageBytes()) {
            throw new InvalidFieldException(MessageFormatException.DOCUMENT, "encodes to " + bytes.length
                    + " bytes, over the limit of " + options.maxMessageBytes());
        }
        return bytes;
    }

    /**
     * Decodes a message of a known type; {@code Message.class} accepts any type, as
     * {@link #decode(byte[])} does.
     *
     * @throws MessageFormatException if the bytes are not a valid {@code type} message
     */
    public <T extends Message> T decode(byte[] bytes, Class<T> type) throws MessageFormatException {
        if (type == Message.class) {
            return type.cast(decode(bytes));
        }
        MessageMapping<?> mapping = mappingFor(type);
        return type.cast(read(parse(bytes), mapping));
    }

    /**
     * Decodes a message of any type, chosen by its {@code schema} field (e.g. replaying an outbox).
     *
     * @throws MessageFormatException if the bytes are not a valid message of a known schema
     */
    public Message decode(byte[] bytes) throws MessageFormatException {
        JsonFields root = parse(bytes);
        String schema = root.text("schema");
        MessageMapping<?> mapping = bySchema.get(schema);
        if (mapping == null) {
            throw new MessageFormatException("schema", "is " + TopicSegments.printable(schema)
                    + ", not one of " + bySchema.keySet().stream().sorted().toList());
        }
        return read(root, mapping);
    }

    /**
     * Decodes a message received on {@code topic}: the topic's kind picks the record, and the
     * message must agree with the topic on device id, job id and command name (a device may only
     * speak for itself).
     *
     * @throws MessageFormatException if the topic or the bytes are invalid, or they disagree
     */
    public Message decodeForTopic(String topic, byte[] bytes) throws MessageFormatException {
        DeviceTopic address = Topics.parse(topic);
        JsonFields root = parse(bytes);
        Message message = read(root, byTopic.get(address.kind()));
        if (!message.deviceId().equals(address.deviceId())) {
            throw disagree("deviceId", message.deviceId(), address.deviceId());
        }
        if (message instanceof JobExecutionUpdate update && !update.jobId().equals(address.jobId())) {
            throw disagree("jobId", update.jobId(), address.jobId());
        }
        if (message instanceof Command command && !command.name().wireName().equals(address.commandName())) {
            throw disagree("name", command.name().wireName(), address.commandName());
        }
        return message;
    }

    private static MessageFormatException disagree(String field, String inMessage, String inTopic) {
        return new MessageFormatException(field, "is " + TopicSegments.printable(inMessage)
                + " but the topic names " + TopicSegments.printable(inTopic));
    }

    private JsonFields parse(byte[] bytes) throws MessageFormatException {
        if (bytes == null || bytes.length == 0) {
            throw new MessageFormatException(MessageFormatException.DOCUMENT, "is empty");
        }
        if (bytes.length > options.maxMessageBytes()) {
            throw new MessageFormatException(MessageFormatException.DOCUMENT, "is " + bytes.length
                    + " bytes, over the limit of " + options.maxMessageBytes());
        }
        // Decode UTF-8 ourselves: Jackson would guess UTF-16/32 from zero bytes, and MQTT JSON is UTF-8.
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        String text;
        try {
            text = decoder.decode(in).toString();
        } catch (CharacterCodingException e) {
            throw new MessageFormatException(MessageFormatException.DOCUMENT,
                    "is not valid UTF-8 (near byte " + in.position() + ")", e);
        }
        try {
            return JsonFields.root(mapper.readTree(text));
        } catch (JsonProcessingException e) {
            throw new MessageFormatException(pathOf(e), "is not valid JSON: " + shortMessage(e), e);
        }
    }

    private Message read(JsonFields root, MessageMapping<?> mapping) throws MessageFormatException {
        String schema = root.text("schema");
        if (!schema.equals(mapping.schema())) {
            throw new MessageFormatException("schema", "is " + TopicSegments.printable(schema) + ", expected "
                    + mapping.schema());
        }
        MessageMapping.Header header = new MessageMapping.Header(root.text("deviceId"), root.instant("ts"),
                root.longValue("seq"));
        return root.build(() -> mapping.read(header, root));
    }

    private MessageMapping<?> mappingFor(Class<?> type) {
        MessageMapping<?> mapping = byType.get(type);
        if (mapping == null) {
            throw new IllegalArgumentException("no JSON mapping for " + type);
        }
        return mapping;
    }

    @SuppressWarnings("unchecked")
    private static <T extends Message> void writeBody(MessageMapping<T> mapping, Message message, ObjectNode out) {
        mapping.write((T) message, out);
    }

    /** Where in the document the parser stood when it failed, as a JSON path. */
    private static String pathOf(JsonProcessingException e) {
        if (!(e.getProcessor() instanceof JsonParser parser)) {
            return MessageFormatException.DOCUMENT;
        }
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext context = parser.getParsingContext(); context != null && !context.inRoot();
                context = context.getParent()) {
            if (context.inArray()) {
                parts.push("[" + Math.max(context.getCurrentIndex(), 0) + "]");
            } else if (context.getCurrentName() != null) {
                parts.push("." + JsonFields.safeName(context.getCurrentName()));
            }
        }
        String path = String.join("", parts);
        if (path.isEmpty()) {
            return MessageFormatException.DOCUMENT;
        }
        return path.startsWith(".") ? path.substring(1) : path;
    }

    /** Jackson's description of a syntax error, one line, with the input's characters escaped. */
    private static String shortMessage(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage());
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < message.length() && out.length() < 160; i++) {
            char c = message.charAt(i);
            if (c == '\n') {
                break;
            }
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return out.toString();
    }
}
