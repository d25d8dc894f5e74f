package io.edgeloop.agent.api;

import io.edgeloop.agent.engine.DataType;
import io.edgeloop.agent.engine.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InferRequestParserTest {
    private final InferRequestParser parser = new InferRequestParser(1_000_000);

    private InferRequest parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private String error(String json) {
        return assertThrows(BadRequestException.class, () -> parse(json)).getMessage();
    }

    @Test
    void flatNestedAndDeferredDataParseTheSame() {
        float[] expected = {1, 2.5f, -3, 4e-3f};
        String flat = "{\"id\":\"r1\",\"inputs\":[{\"name\":\"x\",\"shape\":[2,2],\"datatype\":\"FP32\",\"data\":[1,2.5,-3,4e-3]}]}";
        String nested = "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,2],\"datatype\":\"fp32\",\"data\":[[1,2.5],[-3,4e-3]]}]}";
        String deferred = "{\"inputs\":[{\"data\":[[1,2.5],[-3,4e-3]],\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2,2]}]}";
        InferRequest r = parse(flat);
        assertEquals("r1", r.id());
        assertArrayEquals(expected, r.inputs().get(0).floats());
        assertArrayEquals(expected, parse(nested).inputs().get(0).floats());
        assertArrayEquals(expected, parse(deferred).inputs().get(0).floats());
        assertArrayEquals(new long[]{2, 2}, parse(deferred).inputs().get(0).shape());
    }

    @Test
    void everyTypeParsesWithItsRange() {
        String json = "{\"inputs\":["
                + "{\"name\":\"a\",\"shape\":[2],\"datatype\":\"FP64\",\"data\":[1e300,-1]},"
                + "{\"name\":\"b\",\"shape\":[2],\"datatype\":\"INT8\",\"data\":[-128,127]},"
                + "{\"name\":\"c\",\"shape\":[2],\"datatype\":\"INT16\",\"data\":[-32768,32767]},"
                + "{\"name\":\"d\",\"shape\":[2],\"datatype\":\"INT32\",\"data\":[-2147483648,2147483647]},"
                + "{\"name\":\"e\",\"shape\":[2],\"datatype\":\"INT64\",\"data\":[-9223372036854775808,9223372036854775807]},"
                + "{\"name\":\"f\",\"shape\":[2],\"datatype\":\"UINT8\",\"data\":[0,255]},"
                + "{\"name\":\"g\",\"shape\":[2],\"datatype\":\"BOOL\",\"data\":[true,false]},"
                + "{\"name\":\"h\",\"shape\":[2],\"datatype\":\"BYTES\",\"data\":[\"x\",\"y\"]}],"
                + "\"outputs\":[{\"name\":\"o\"}],\"parameters\":{\"capture\":true}}";
        InferRequest r = parse(json);
        assertEquals(8, r.inputs().size());
        assertArrayEquals(new double[]{1e300, -1}, (double[]) r.inputs().get(0).data());
        assertArrayEquals(new byte[]{-128, 127}, (byte[]) r.inputs().get(1).data());
        assertArrayEquals(new long[]{Long.MIN_VALUE, Long.MAX_VALUE}, (long[]) r.inputs().get(4).data());
        assertArrayEquals(new byte[]{0, (byte) 255}, (byte[]) r.inputs().get(5).data());
        assertArrayEquals(new byte[]{1, 0}, (byte[]) r.inputs().get(6).data());
        assertArrayEquals(new String[]{"x", "y"}, (String[]) r.inputs().get(7).data());
        assertEquals(DataType.BYTES, r.inputs().get(7).type());
        assertEquals(java.util.List.of("o"), r.outputs());
        assertTrue(r.capture());
    }

    private void expectError(String json, String fragment) {
        String message = error(json);
        assertTrue(message.contains(fragment), message);
    }

    @Test
    void badRequestsNameTheProblem() {
        String head = "{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":";
        expectError("{", "malformed JSON");
        expectError("[]", "JSON object");
        expectError("{}", "no 'inputs'");
        expectError(head + "\"FP32\",\"data\":[1,NaN]}]}", "malformed JSON");
        expectError(head + "\"FP32\",\"data\":[1,1e999]}]}", "not a finite");
        expectError(head + "\"FP32\",\"data\":[1]}]}", "has 1 values but shape [2] needs 2");
        expectError(head + "\"FP32\",\"data\":[1,2,3]}]}", "more values");
        expectError(head + "\"FP32\",\"data\":[1,\"2\"]}]}", "holds a string");
        expectError(head + "\"INT8\",\"data\":[1,128]}]}", "out of range for INT8");
        expectError(head + "\"UINT8\",\"data\":[1,-1]}]}", "out of range for UINT8");
        expectError(head + "\"INT64\",\"data\":[1,99999999999999999999]}]}", "out of range");
        expectError(head + "\"INT32\",\"data\":[1,2.5]}]}", "holds a number");
        expectError(head + "\"BOOL\",\"data\":[1,0]}]}", "BOOL");
        expectError(head + "\"FP16\",\"data\":[1,0]}]}", "unsupported datatype 'FP16'");
        expectError("{\"inputs\":[{\"name\":\"x\",\"shape\":[-1],\"datatype\":\"FP32\",\"data\":[]}]}", "negative");
        expectError("{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"data\":[1,2]}]}", "needs 'name', 'shape' and 'datatype'");
        expectError("{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"FP32\"}]}", "no 'data'");
        BadRequestException big = assertThrows(BadRequestException.class, () -> parse(
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[100000,100000],\"datatype\":\"FP32\",\"data\":[]}]}"));
        assertEquals(413, big.status());
        expectError("{\"inputs\":[]} {}", "after the request object");
        expectError("{\"inputs\":[]} x", "malformed JSON");
    }

    @Test
    void aScalarIsAOneElementTensor() {
        Tensor t = parse("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":3}]}").inputs().get(0);
        assertArrayEquals(new float[]{3}, t.floats());
    }

    private static byte[] binaryBody(String json, byte[] tail) {
        byte[] head = json.getBytes(StandardCharsets.UTF_8);
        byte[] body = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, body, head.length, tail.length);
        return body;
    }

    private static byte[] littleEndian(int capacity, java.util.function.Consumer<java.nio.ByteBuffer> fill) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(capacity).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        fill.accept(b);
        return b.array();
    }

    @Test
    void binaryTensorDataFillsInputsInOrder() {
        byte[] tail = littleEndian(8 + 16 + 9, b -> b.putFloat(1.5f).putFloat(-2f).putLong(7).putLong(-9)
                .putInt(5).put("hello".getBytes(StandardCharsets.UTF_8)));
        String json = "{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":8}},"
                + "{\"name\":\"n\",\"shape\":[1,2],\"datatype\":\"INT64\",\"parameters\":{\"binary_data_size\":16}},"
                + "{\"name\":\"s\",\"shape\":[1],\"datatype\":\"BYTES\",\"parameters\":{\"binary_data_size\":9}}],"
                + "\"outputs\":[{\"name\":\"probs\",\"parameters\":{\"binary_data\":true}}]}";
        byte[] body = binaryBody(json, tail);
        InferRequest r = parser.parse(body, json.length());
        assertArrayEquals(new float[]{1.5f, -2f}, r.inputs().get(0).floats());
        assertArrayEquals(new long[]{7, -9}, (long[]) r.inputs().get(1).data());
        assertArrayEquals(new String[]{"hello"}, (String[]) r.inputs().get(2).data());
        assertTrue(r.binary("probs"));
        assertTrue(!r.binary("other"));
    }

    @Test
    void binaryTensorDataErrorsNameTheProblem() {
        String one = "{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":8}}]}";
        byte[] two = littleEndian(8, b -> b.putFloat(1).putFloat(2));
        assertEquals("input 'x' is FP32 with 2 elements, which take 8 bytes, but binary_data_size is 4",
                assertThrows(BadRequestException.class, () -> parser.parse(binaryBody(one.replace(":8}", ":4}"), two),
                        one.length() - 1)).getMessage());
        assertEquals("the binary data has 4 bytes that no input's binary_data_size claims",
                assertThrows(BadRequestException.class, () -> parser.parse(binaryBody(one, littleEndian(12, b -> { })),
                        one.length())).getMessage());
        assertEquals("input 'x' holds NaN, which is not a finite FP32",
                assertThrows(BadRequestException.class, () -> parser.parse(binaryBody(one,
                        littleEndian(8, b -> b.putFloat(Float.NaN).putFloat(0))), one.length())).getMessage());
        assertEquals("input 'x' declares parameters.binary_data_size but the request has no Inference-Header-Content-Length header",
                assertThrows(BadRequestException.class, () -> parse(one)).getMessage());
        assertEquals("Inference-Header-Content-Length is 999 but the body has " + (one.length() + 8) + " bytes",
                assertThrows(BadRequestException.class, () -> parser.parse(binaryBody(one, two), 999)).getMessage());
    }
}
