package io.edgeloop.protocol.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * Ways to damage a valid encoded message, for {@link MessageFuzzTest}: byte-level (flips,
 * deletions, insertions, truncation, invalid UTF-8) and structure-level (values swapped for
 * wrong types, fields removed, deep nesting, huge numbers, duplicate keys).
 */
final class Mutations {
    /** One named way to damage a message. */
    record Mutation(String name, BiFunction<byte[], Random, byte[]> apply) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final byte[] STRUCTURAL = "{}[]\":,".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] INSERTS = {
        utf8("{"), utf8("}"), utf8("["), utf8("]"), utf8("\""), utf8(":"), utf8(","), utf8("\\"), utf8("\\u"),
        utf8("\\ud800"), utf8("0"), utf8("-"), utf8("e"), utf8("."), utf8("null"), utf8("true"), utf8(" "),
        {0}, {(byte) 0xFF}, {(byte) 0xC3}, {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82},
        {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80},
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, {0, 0, 0},
    };

    private Mutations() {
    }

    static List<Mutation> all() {
        return List.of(
                new Mutation("bit flips", Mutations::flipBits),
                new Mutation("random bytes", Mutations::randomBytes),
                new Mutation("deletion", Mutations::delete),
                new Mutation("insertion", Mutations::insert),
                new Mutation("truncation", Mutations::truncate),
                new Mutation("truncation at structure", Mutations::truncateAtStructure),
                new Mutation("duplicated range", Mutations::duplicateRange),
                new Mutation("invalid UTF-8 in a string", Mutations::invalidUtf8),
                new Mutation("value of wrong type", Mutations::swapValue),
                new Mutation("field removed", Mutations::removeField),
                new Mutation("deep nesting", Mutations::deepNesting),
                new Mutation("huge number", Mutations::hugeNumber),
                new Mutation("duplicate key", Mutations::duplicateKey),
                new Mutation("hostile string", Mutations::hostileString),
                new Mutation("stacked", Mutations::stacked));
    }

    static byte[] flipBits(byte[] in, Random random) {
        byte[] out = in.clone();
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
            int at = random.nextInt(out.length);
            out[at] ^= (byte) (1 << random.nextInt(8));
        }
        return out;
    }

    static byte[] randomBytes(byte[] in, Random random) {
        byte[] out = in.clone();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        }
        return out;
    }

    static byte[] delete(byte[] in, Random random) {
        int at = random.nextInt(in.length);
        int length = Math.min(in.length - at, 1 + random.nextInt(16));
        return concat(Arrays.copyOfRange(in, 0, at), Arrays.copyOfRange(in, at + length, in.length));
    }

    static byte[] insert(byte[] in, Random random) {
        int at = random.nextInt(in.length + 1);
        byte[] what = INSERTS[random.nextInt(INSERTS.length)];
        return concat(Arrays.copyOfRange(in, 0, at), what, Arrays.copyOfRange(in, at, in.length));
    }

    static byte[] truncate(byte[] in, Random random) {
        return Arrays.copyOf(in, random.nextInt(in.length));
    }

    /** Cuts just before or just after a structural character: inside keys, values, arrays. */
    static byte[] truncateAtStructure(byte[] in, Random random) {
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < in.length; i++) {
            for (byte b : STRUCTURAL) {
                if (in[i] == b) {
                    positions.add(i);
                }
            }
        }
        int at = positions.get(random.nextInt(positions.size())) + random.nextInt(2);
        return Arrays.copyOf(in, Math.min(at, in.length - 1));
    }

    static byte[] duplicateRange(byte[] in, Random random) {
        int from = random.nextInt(in.length);
        int length = Math.min(in.length - from, 1 + random.nextInt(40));
        int at = random.nextInt(in.length + 1);
        return concat(Arrays.copyOfRange(in, 0, at), Arrays.copyOfRange(in, from, from + length),
                Arrays.copyOfRange(in, at, in.length));
    }

    /** Puts a malformed UTF-8 sequence right after an opening quote. */
    static byte[] invalidUtf8(byte[] in, Random random) {
        List<Integer> quotes = new ArrayList<>();
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '"') {
                quotes.add(i + 1);
            }
        }
        int at = quotes.get(random.nextInt(quotes.size()));
        byte[] what = INSERTS[17 + random.nextInt(INSERTS.length - 17)];
        return concat(Arrays.copyOfRange(in, 0, at), what, Arrays.copyOfRange(in, at, in.length));
    }

    static byte[] swapValue(byte[] in, Random random) {
        return editTree(in, random, (slot, r) -> slot.replace(wrongValue(r)));
    }

    static byte[] removeField(byte[] in, Random random) {
        return editTree(in, random, (slot, r) -> slot.remove());
    }

    /** Wraps a value in up to 5,000 arrays or objects, written as raw text so the writer needs no depth. */
    static byte[] deepNesting(byte[] in, Random random) {
        int depth = 1 + random.nextInt(random.nextBoolean() ? 40 : 5_000);
        boolean arrays = random.nextBoolean();
        return editTree(in, random, (slot, r) -> {
            String open = arrays ? "[" : "{\"a\":";
            String close = arrays ? "]" : "}";
            slot.replace(NODES.rawValueNode(new RawValue(open.repeat(depth) + slot.value() + close.repeat(depth))));
        });
    }

    static byte[] hugeNumber(byte[] in, Random random) {
        String[] numbers = {"1" + "0".repeat(30), "-" + "9".repeat(63), "1e400", "-1e400", "1e-400", "4.9e-325",
            "9223372036854775808", "-9223372036854775809", "2147483648", "0." + "0".repeat(60) + "1", "-0",
            "1" + "0".repeat(5_000)};
        String number = numbers[random.nextInt(numbers.length)];
        return editTree(in, random, (slot, r) -> slot.replace(NODES.rawValueNode(
                new RawValue(number))));
    }

    /** Repeats a random top-level key with a different value, textually. */
    static byte[] duplicateKey(byte[] in, Random random) {
        String text = new String(in, StandardCharsets.UTF_8);
        try {
            JsonNode tree = JSON.readTree(text);
            List<String> names = new ArrayList<>();
            tree.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            return utf8("{\"" + name + "\":" + wrongValue(random) + "," + text.substring(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] hostileString(byte[] in, Random random) {
        String[] strings = {"", " ", "a/b", "+", "#", "\u0000", "a\nb", "\u2028", "\ud800", "\udc00x", "\uffff",
            "x".repeat(129), "x".repeat(20_000), "../../etc/passwd", "file:///etc/shadow", "http://", "NaN",
            "Infinity", "2026-13-45T99:99:99Z", "-1", "IN_PROGRESS ", "in_progress", "😀"};
        String value = strings[random.nextInt(strings.length)];
        return editTree(in, random, (slot, r) -> slot.replace(NODES.textNode(value)));
    }

    static byte[] stacked(byte[] in, Random random) {
        byte[] out = in;
        List<Mutation> all = all();
        for (int i = 2 + random.nextInt(3); i > 0 && out.length > 2; i--) {
            Mutation mutation = all.get(random.nextInt(all.size() - 1));
            try {
                out = mutation.apply().apply(out, random);
            } catch (UncheckedIOException | IllegalStateException e) {
                // A structure-level mutation cannot parse an already broken input; damage its bytes instead.
                out = flipBits(out, random);
            }
        }
        return out;
    }

    private static JsonNode wrongValue(Random random) {
        return switch (random.nextInt(14)) {
            case 0 -> NODES.textNode("str");
            case 1 -> NODES.numberNode(0);
            case 2 -> NODES.numberNode(-1);
            case 3 -> NODES.numberNode(1.5);
            case 4 -> NODES.numberNode(new BigInteger("123456789012345678901234567890"));
            case 5 -> NODES.numberNode(new BigDecimal("1e400"));
            case 6 -> NODES.booleanNode(random.nextBoolean());
            case 7 -> NODES.nullNode();
            case 8 -> NODES.arrayNode();
            case 9 -> NODES.objectNode();
            case 10 -> NODES.arrayNode().add(1).add("a").addNull();
            case 11 -> NODES.objectNode().set("a", NODES.objectNode());
            case 12 -> NODES.numberNode(Long.MAX_VALUE);
            default -> NODES.textNode("");
        };
    }

    /** A place in a JSON tree that holds a value: an object's field or an array's element. */
    private record Slot(JsonNode parent, String field, int index) {
        JsonNode value() {
            return field != null ? parent.get(field) : parent.get(index);
        }

        void replace(JsonNode value) {
            if (field != null) {
                ((ObjectNode) parent).set(field, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }

        void remove() {
            if (field != null) {
                ((ObjectNode) parent).remove(field);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }
    }

    private interface SlotEdit {
        void apply(Slot slot, Random random);
    }

    private static byte[] editTree(byte[] in, Random random, SlotEdit edit) {
        try {
            JsonNode tree = JSON.readTree(in);
            if (tree == null || !tree.isContainerNode()) {
                throw new IllegalStateException("not a JSON container");
            }
            List<Slot> slots = new ArrayList<>();
            collect(tree, slots);
            if (slots.isEmpty()) {
                throw new IllegalStateException("no values to edit");
            }
            edit.apply(slots.get(random.nextInt(slots.size())), random);
            return JSON.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collect(JsonNode node, List<Slot> slots) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                slots.add(new Slot(node, name, -1));
                collect(node.get(name), slots);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                slots.add(new Slot(node, null, i));
                collect(node.get(i), slots);
            }
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
