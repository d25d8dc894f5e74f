package io.edgeloop.agent.api;

import io.edgeloop.agent.engine.DataType;
import io.edgeloop.agent.engine.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The fast path must agree bit for bit with the Jackson path on every request it takes, and
 * leave every request it does not fully understand to that path.
 */
class InferRequestFastPathTest {
    private static final long MAX_ELEMENTS = 1_000_000;
    private static final DataType[] NUMERIC = {DataType.FP32, DataType.FP64, DataType.INT8, DataType.UINT8,
            DataType.INT16, DataType.INT32, DataType.INT64};

    private final InferRequestParser jackson = new InferRequestParser(MAX_ELEMENTS);

    private static InferRequest fast(String json) {
        return new InferRequestFastPath(MAX_ELEMENTS).tryParse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void takesGeneratedRequestsAndAgreesWithJacksonBitForBit() {
        SplittableRandom random = new SplittableRandom(7);
        int taken = 0;
        for (int i = 0; i < 3000; i++) {
            String json = request(random);
            InferRequest f = fast(json);
            InferRequest j = jackson.parseWithJackson(json.getBytes(StandardCharsets.UTF_8));
            if (f != null) {
                assertSame(j, f, json);
                taken++;
            }
        }
        // Only double-rounding midpoints and numbers beyond 15 digits may fall back.
        assertTrue(taken > 2900, "fast path took only " + taken + " of 3000 valid requests");
    }

    @Test
    void neverAcceptsWhatJacksonRefusesAndAgreesOnWhatBothAccept() {
        SplittableRandom random = new SplittableRandom(11);
        int refusedByBoth = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] body = mutate(request(random).getBytes(StandardCharsets.UTF_8), random);
            InferRequest f = new InferRequestFastPath(MAX_ELEMENTS).tryParse(body);
            InferRequest j;
            try {
                j = jackson.parseWithJackson(body);
            } catch (BadRequestException e) {
                if (f != null) {
                    fail("fast path accepted what Jackson refuses (" + e.getMessage() + "): "
                            + new String(body, StandardCharsets.UTF_8));
                }
                refusedByBoth++;
                continue;
            }
            if (f != null) {
                assertSame(j, f, new String(body, StandardCharsets.UTF_8));
            }
        }
        assertTrue(refusedByBoth > 1000, "the mutations should break many requests: " + refusedByBoth);
    }

    @Test
    void leavesWhatItDoesNotFullyUnderstandToJackson() {
        String tail = ",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1.5]}]}";
        assertNotNull(fast("{\"inputs\":[{\"name\":\"x\"" + tail));
        assertNull(fast("{\"inputs\":[{\"name\":\"\\u0078\"" + tail), "escapes");
        assertNull(fast("{\"inputs\":[{\"name\":\"x\",\"parameters\":{}" + tail), "tensor parameters");
        assertNull(fast("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"BOOL\",\"data\":[true]}]}"), "BOOL");
        assertNull(fast("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":1.5}]}"), "scalar data");
        assertNull(fast("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1e39]}]}"), "overflow");
        assertNull(fast("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[01]}]}"), "leading zero");
        assertNull(fast("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"INT8\",\"data\":[128]}]}"), "range");
        assertNull(fast("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"INT32\",\"data\":[1.0]}]}"), "float for int");
        assertNull(fast("{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[1]}]}"), "count");
        assertNull(fast("{\"inputs\":[{\"name\":\"x\",\"shape\":[0],\"datatype\":\"FP32\",\"data\":[]}]}"), "empty");
        assertNull(fast("{\"id\":\"a\",\"id\":\"b\",\"inputs\":[{\"name\":\"x\"" + tail), "duplicate key");
        assertNull(fast("{\"inputs\":[{\"name\":\"x\"" + tail + " x"), "trailing content");
    }

    @Test
    void fullPrecisionDoublesFallBackAndStillParseExactly() {
        InferRequestParser parser = new InferRequestParser(MAX_ELEMENTS);
        String json = "{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"FP64\",\"data\":[0.1234567890123456789,"
                + "0.00392156862745098]}]}";
        assertNull(fast(json), "17 significant digits are beyond the exact fast conversion");
        double[] v = (double[]) parser.parse(json.getBytes(StandardCharsets.UTF_8)).inputs().get(0).data();
        assertEquals(Double.parseDouble("0.1234567890123456789"), v[0]);
        assertNotNull(fast(json.replace("0.1234567890123456789", "0.5")), "15 significant digits after leading zeros");
    }

    @Test
    void negativeZeroFollowsJacksonsTokenTypes() {
        InferRequest r = fast("{\"inputs\":[{\"name\":\"x\",\"shape\":[3],\"datatype\":\"FP32\",\"data\":[-0,-0.0,-0e0]}]}");
        assertNotNull(r);
        float[] v = r.inputs().get(0).floats();
        assertEquals(0, Float.floatToRawIntBits(v[0]), "-0 is an integer token: +0");
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(v[1]));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(v[2]));
    }

    @Test
    void aDoubleHalfwayBetweenTwoFloatsFallsBackInsteadOfRoundingTwice() {
        // 1 + 2^-24 is exactly halfway between the floats 1 and 1 + 2^-23.
        double midpoint = 1 + Math.pow(2, -24);
        try {
            JsonBytes.toFloat(midpoint);
            fail("a float midpoint must fall back");
        } catch (RuntimeException expected) {
            // the fast path gives up; the parser then uses Jackson
        }
        assertEquals(1.5f, (float) JsonBytes.toFloat(1.5));
    }

    private static void assertSame(InferRequest expected, InferRequest actual, String json) {
        assertEquals(expected.id(), actual.id(), json);
        assertEquals(expected.outputs(), actual.outputs(), json);
        assertEquals(expected.capture(), actual.capture(), json);
        assertEquals(expected.inputs().size(), actual.inputs().size(), json);
        for (int i = 0; i < expected.inputs().size(); i++) {
            Tensor e = expected.inputs().get(i);
            Tensor a = actual.inputs().get(i);
            assertEquals(e.name(), a.name(), json);
            assertEquals(e.type(), a.type(), json);
            assertEquals(java.util.Arrays.toString(e.shape()), java.util.Arrays.toString(a.shape()), json);
            assertTrue(bitwiseEqual(e.data(), a.data()), "values differ: " + json);
        }
    }

    private static boolean bitwiseEqual(Object x, Object y) {
        if (x instanceof float[] a) {
            return java.util.Arrays.equals(a, (float[]) y); // compares floatToIntBits: -0 differs from 0
        }
        if (x instanceof double[] a) {
            return java.util.Arrays.equals(a, (double[]) y);
        }
        return java.util.Objects.deepEquals(x, y);
    }

    /** A valid request in one of the shapes clients send: key order, spacing, nesting and number styles vary. */
    static String request(SplittableRandom r) {
        int inputs = 1 + r.nextInt(2);
        List<String> tensors = new ArrayList<>();
        for (int t = 0; t < inputs; t++) {
            DataType type = NUMERIC[r.nextInt(NUMERIC.length)];
            int rows = 1 + r.nextInt(3);
            int cols = 1 + r.nextInt(6);
            boolean nested = r.nextBoolean();
            StringBuilder data = new StringBuilder("[");
            for (int i = 0; i < rows; i++) {
                if (nested) {
                    data.append(i == 0 ? "[" : ",[");
                }
                for (int j = 0; j < cols; j++) {
                    data.append(j == 0 && (nested || i == 0) ? "" : ",").append(space(r)).append(number(type, r));
                }
                if (nested) {
                    data.append(']');
                }
            }
            data.append(']');
            List<String> fields = new ArrayList<>(List.of("\"name\":\"in" + t + "\"", "\"shape\":[" + rows + "," + cols + "]",
                    "\"datatype\":\"" + (r.nextBoolean() ? type.name() : type.name().toLowerCase(Locale.ROOT)) + "\"",
                    "\"data\":" + data));
            java.util.Collections.shuffle(fields, new java.util.Random(r.nextLong()));
            tensors.add("{" + String.join("," + space(r), fields) + "}");
        }
        StringBuilder json = new StringBuilder("{");
        if (r.nextBoolean()) {
            json.append("\"id\":\"req-").append(r.nextInt(1000)).append("\",");
        }
        json.append(space(r)).append("\"inputs\" : [").append(String.join(",", tensors)).append("]");
        if (r.nextInt(4) == 0) {
            json.append(",\"outputs\":[{\"name\":\"probabilities\"}]");
        }
        if (r.nextInt(4) == 0) {
            json.append(",\"parameters\":{\"capture\":").append(r.nextBoolean()).append('}');
        }
        return json.append(space(r)).append('}').toString();
    }

    private static String space(SplittableRandom r) {
        return switch (r.nextInt(6)) {
            case 0 -> " ";
            case 1 -> "\n  ";
            case 2 -> "\t";
            default -> "";
        };
    }

    private static String number(DataType type, SplittableRandom r) {
        return switch (type) {
            case FP32, FP64 -> switch (r.nextInt(6)) {
                case 0 -> Float.toString((float) (r.nextDouble() * 2 - 1));
                case 1 -> Float.toString((float) (r.nextGaussian() * Math.pow(10, r.nextInt(-8, 8))));
                case 2 -> Integer.toString(r.nextInt(-300, 300));
                case 3 -> String.format(Locale.ROOT, "%.4e", r.nextGaussian());
                case 4 -> Integer.toString(r.nextInt(256)) + "." + r.nextInt(1000);
                default -> Float.toString(r.nextInt(256) / 255f);
            };
            case INT8 -> Integer.toString(r.nextInt(-128, 128));
            case UINT8 -> Integer.toString(r.nextInt(256));
            case INT16 -> Integer.toString(r.nextInt(Short.MIN_VALUE, Short.MAX_VALUE + 1));
            case INT32 -> Integer.toString(r.nextInt());
            default -> Long.toString(r.nextLong() / 1000);
        };
    }

    /** One random byte-level change: delete, duplicate, replace with a JSON-significant character, or truncate. */
    private static byte[] mutate(byte[] body, SplittableRandom r) {
        byte[] alphabet = "{}[],:\"-.eE0123456789 \\tn".getBytes(StandardCharsets.US_ASCII);
        int at = r.nextInt(body.length);
        return switch (r.nextInt(4)) {
            case 0 -> concat(java.util.Arrays.copyOf(body, at), java.util.Arrays.copyOfRange(body, at + 1, body.length));
            case 1 -> concat(java.util.Arrays.copyOf(body, at + 1), java.util.Arrays.copyOfRange(body, at, body.length));
            case 2 -> {
                byte[] copy = body.clone();
                copy[at] = alphabet[r.nextInt(alphabet.length)];
                yield copy;
            }
            default -> java.util.Arrays.copyOf(body, at);
        };
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = (byte[]) Array.newInstance(byte.class, a.length + b.length);
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
