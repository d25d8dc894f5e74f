package io.edgeloop.protocol.codec;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.protocol.InvalidFieldException;
import io.edgeloop.protocol.MessageFormatException;
import io.edgeloop.protocol.topic.TopicSegments;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed, strict reads from one JSON object that know their JSON path, so every refusal names the
 * field at fault ({@code features[2].psi}). Absent and {@code null} mean the same; there is no
 * coercion (a string {@code "5"} is not a number, {@code 1.0} is not an integer). Unknown fields
 * are never looked at, which is how they are ignored.
 */
final class JsonFields {
    /** Reads one value (an object's fields) into a record. */
    interface Reader<T> {
        T read(JsonFields fields) throws MessageFormatException;
    }

    /** Builds a record; record validation failures become {@link MessageFormatException}s. */
    interface Builder<T> {
        T build() throws MessageFormatException;
    }

    private final JsonNode node;
    private final String path;

    private JsonFields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** The top-level object of a message. */
    static JsonFields root(JsonNode node) throws MessageFormatException {
        if (node == null || !node.isObject()) {
            throw new MessageFormatException(MessageFormatException.DOCUMENT,
                    "must be a JSON object, was " + kind(node));
        }
        return new JsonFields(node, "");
    }

    /** The JSON path of a field of this object. */
    String path(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    String text(String field) throws MessageFormatException {
        JsonNode value = required(field);
        if (!value.isTextual()) {
            throw wrongType(field, "a string", value);
        }
        return value.textValue();
    }

    String optionalText(String field) throws MessageFormatException {
        return has(field) ? text(field) : null;
    }

    long longValue(String field) throws MessageFormatException {
        JsonNode value = required(field);
        if (!value.isIntegralNumber()) {
            throw wrongType(field, "an integer", value);
        }
        if (!value.canConvertToLong()) {
            throw new MessageFormatException(path(field), "is out of the 64-bit integer range");
        }
        return value.longValue();
    }

    int intValue(String field) throws MessageFormatException {
        long value = longValue(field);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new MessageFormatException(path(field), "is out of the 32-bit integer range");
        }
        return (int) value;
    }

    Integer optionalInt(String field) throws MessageFormatException {
        return has(field) ? intValue(field) : null;
    }

    double doubleValue(String field) throws MessageFormatException {
        JsonNode value = required(field);
        if (!value.isNumber()) {
            throw wrongType(field, "a number", value);
        }
        double result = value.doubleValue();
        if (!Double.isFinite(result)) {
            throw new MessageFormatException(path(field), "is out of the double range");
        }
        return result;
    }

    Double optionalDouble(String field) throws MessageFormatException {
        return has(field) ? doubleValue(field) : null;
    }

    boolean bool(String field) throws MessageFormatException {
        JsonNode value = required(field);
        if (!value.isBoolean()) {
            throw wrongType(field, "true or false", value);
        }
        return value.booleanValue();
    }

    boolean optionalBool(String field, boolean absent) throws MessageFormatException {
        return has(field) ? bool(field) : absent;
    }

    /** An ISO-8601 instant such as {@code 2026-11-26T05:00:00Z}. */
    Instant instant(String field) throws MessageFormatException {
        String text = text(field);
        try {
            return Instant.parse(text);
        } catch (DateTimeException e) {
            throw new MessageFormatException(path(field),
                    "is not an ISO-8601 instant like 2026-01-31T12:00:00Z: " + TopicSegments.printable(text));
        }
    }

    /** An enum constant by its exact name. */
    <E extends Enum<E>> E enumValue(String field, Class<E> type) throws MessageFormatException {
        String text = text(field);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(text)) {
                return constant;
            }
        }
        E[] constants = type.getEnumConstants();
        // Long vocabularies (ErrorCode) are named, not listed, to keep log lines short.
        String allowed = constants.length <= 10 ? "one of " + Arrays.toString(constants)
                : "a known " + type.getSimpleName() + " name";
        throw new MessageFormatException(path(field), "must be " + allowed + ", was " + TopicSegments.printable(text));
    }

    <E extends Enum<E>> E optionalEnum(String field, Class<E> type) throws MessageFormatException {
        return has(field) ? enumValue(field, type) : null;
    }

    <T> T object(String field, Reader<T> reader) throws MessageFormatException {
        JsonNode value = required(field);
        if (!value.isObject()) {
            throw wrongType(field, "an object", value);
        }
        JsonFields nested = new JsonFields(value, path(field));
        return nested.build(() -> reader.read(nested));
    }

    <T> T optionalObject(String field, Reader<T> reader) throws MessageFormatException {
        return has(field) ? object(field, reader) : null;
    }

    /** An array of objects, each read by {@code reader}. */
    <T> List<T> objects(String field, Reader<T> reader) throws MessageFormatException {
        JsonNode array = array(field);
        List<T> result = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            String elementPath = path(field) + "[" + i + "]";
            if (!element.isObject()) {
                throw new MessageFormatException(elementPath, "must be an object, was " + kind(element));
            }
            JsonFields nested = new JsonFields(element, elementPath);
            result.add(nested.build(() -> reader.read(nested)));
        }
        return result;
    }

    /** An array of integers. */
    long[] longs(String field) throws MessageFormatException {
        JsonNode array = array(field);
        long[] result = new long[array.size()];
        for (int i = 0; i < result.length; i++) {
            JsonNode element = array.get(i);
            String elementPath = path(field) + "[" + i + "]";
            if (!element.isIntegralNumber()) {
                throw new MessageFormatException(elementPath, "must be an integer, was " + kind(element));
            }
            if (!element.canConvertToLong()) {
                throw new MessageFormatException(elementPath, "is out of the 64-bit integer range");
            }
            result[i] = element.longValue();
        }
        return result;
    }

    /** An array of strings. */
    List<String> texts(String field) throws MessageFormatException {
        JsonNode array = array(field);
        List<String> result = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            if (!element.isTextual()) {
                throw new MessageFormatException(path(field) + "[" + i + "]", "must be a string, was " + kind(element));
            }
            result.add(element.textValue());
        }
        return result;
    }

    /**
     * An object whose values are all strings, minus the {@code skipped} keys (typed fields that
     * share the object on the wire). An absent object reads as empty.
     */
    Map<String, String> textMap(String field, String... skipped) throws MessageFormatException {
        Map<String, String> result = new LinkedHashMap<>();
        if (!has(field)) {
            return result;
        }
        JsonNode object = node.get(field);
        if (!object.isObject()) {
            throw wrongType(field, "an object", object);
        }
        List<String> skip = List.of(skipped);
        for (Map.Entry<String, JsonNode> entry : object.properties()) {
            if (skip.contains(entry.getKey())) {
                continue;
            }
            if (!entry.getValue().isTextual()) {
                throw new MessageFormatException(path(field) + "." + safeName(entry.getKey()),
                        "must be a string, was " + kind(entry.getValue()));
            }
            result.put(entry.getKey(), entry.getValue().textValue());
        }
        return result;
    }

    /** The nested object {@code field} as its own reader (e.g. to read typed keys of a map). */
    JsonFields optionalNested(String field) throws MessageFormatException {
        if (!has(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isObject()) {
            throw wrongType(field, "an object", value);
        }
        return new JsonFields(value, path(field));
    }

    /** Runs a record constructor; its validation failure is reported under this object's path. */
    <T> T build(Builder<T> builder) throws MessageFormatException {
        try {
            return builder.build();
        } catch (InvalidFieldException e) {
            throw new MessageFormatException(path(e.field()), e.problem(), e);
        }
    }

    boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    private JsonNode required(String field) throws MessageFormatException {
        if (!has(field)) {
            throw new MessageFormatException(path(field), "is missing");
        }
        return node.get(field);
    }

    private JsonNode array(String field) throws MessageFormatException {
        JsonNode value = required(field);
        if (!value.isArray()) {
            throw wrongType(field, "an array", value);
        }
        return value;
    }

    private MessageFormatException wrongType(String field, String expected, JsonNode actual) {
        return new MessageFormatException(path(field), "must be " + expected + ", was " + kind(actual));
    }

    /** A field name from the wire, made safe to log. */
    static String safeName(String name) {
        String problem = TopicSegments.problem(name);
        boolean plain = problem == null && name.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '.');
        return plain ? name : TopicSegments.printable(name);
    }

    static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> node.isIntegralNumber() ? "an integer" : "a decimal number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            default -> "binary data";
        };
    }
}
