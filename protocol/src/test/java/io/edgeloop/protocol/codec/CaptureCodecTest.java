package io.edgeloop.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.MessageFormatException;
import io.edgeloop.protocol.SampleMessages;
import io.edgeloop.protocol.message.CaptureBatch;
import io.edgeloop.protocol.message.CapturedSample;
import io.edgeloop.protocol.message.LabelBatch;
import io.edgeloop.protocol.message.Message;
import io.edgeloop.protocol.message.SampleLabel;
import io.edgeloop.protocol.topic.Topics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The wire form of captures and labels (Contract 1) and what their decoding refuses. */
class CaptureCodecTest {
    private final MessageCodec codec = new MessageCodec();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void inputTravelsAsBase64OfLittleEndianFloat32() throws IOException {
        CaptureBatch batch = SampleMessages.captures();
        JsonNode tree = json.readTree(codec.encode(batch));
        assertEquals("edgeloop.captures/1", tree.get("schema").asText());
        JsonNode first = tree.get("samples").get(0);
        assertFalse(first.has("input"), "the input is sent as inputB64 only");
        assertFalse(first.has("label"), "an absent label is left out");
        assertEquals("[1,2,3]", first.get("shape").toString());
        byte[] raw = Base64.getDecoder().decode(first.get("inputB64").asText());
        ByteBuffer le = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        float[] expected = batch.samples().get(0).input();
        assertEquals(expected.length * 4, raw.length);
        for (float value : expected) {
            assertEquals(Float.floatToRawIntBits(value), Float.floatToRawIntBits(le.getFloat()));
        }
        assertEquals(0.8125, first.get("confidence").asDouble());
        assertEquals(7, tree.get("samples").get(1).get("label").asInt());
    }

    @Test
    void labelsCarryTheirSource() throws IOException {
        JsonNode label = json.readTree(codec.encode(SampleMessages.labels())).get("labels").get(0);
        assertEquals("edgeloop.labels/1", json.readTree(codec.encode(SampleMessages.labels())).get("schema").asText());
        assertEquals("req-1", label.get("requestId").asText());
        assertEquals("fashion-cnn", label.get("model").asText());
        assertEquals(3, label.get("label").asInt());
        assertEquals(1_764_133_260_000L, label.get("labelledAtMillis").asLong());
        assertEquals("feedback", label.get("source").asText());
    }

    @Test
    void aFullSizeImageRoundTripsBitForBitAndIsHalfTheSizeOfAFloatList() throws Exception {
        Random random = new Random(13);
        float[] pixels = new float[784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat();
        }
        CapturedSample sample = new CapturedSample("r", "fashion", "1.0.0", 1, 4, 0.5f, new long[] {1, 1, 28, 28},
                pixels, null);
        CaptureBatch batch = new CaptureBatch(SampleMessages.DEVICE, SampleMessages.TS, 0, List.of(sample));
        byte[] bytes = codec.encode(batch);
        CaptureBatch back = codec.decodeForTopic(Topics.captures(SampleMessages.DEVICE), bytes) instanceof CaptureBatch b
                ? b : null;
        assertEquals(batch, back);
        assertArrayEquals(pixels, back.samples().get(0).input());
        ObjectNode asList = (ObjectNode) json.readTree(bytes).get("samples").get(0);
        asList.remove("inputB64");
        var list = asList.putArray("input");
        for (float p : pixels) {
            list.add(p);
        }
        int listBytes = json.writeValueAsBytes(asList).length;
        assertTrue(bytes.length * 1.8 < listBytes, bytes.length + " bytes vs " + listBytes + " as a JSON list");
        assertTrue(Float32Le.base64Length(784) == json.readTree(bytes).get("samples").get(0).get("inputB64")
                .asText().length());
    }

    @Test
    void sixtyImagesFitUnderTheMessageLimit() {
        List<CapturedSample> samples = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            samples.add(new CapturedSample("request-" + i, "fashion", "1.0.0", 1, 4, 0.5f, new long[] {1, 784},
                    new float[784], null));
        }
        int size = codec.encode(new CaptureBatch(SampleMessages.DEVICE, SampleMessages.TS, 0, samples)).length;
        assertTrue(size < CodecOptions.DEFAULT_MAX_MESSAGE_BYTES, size + " bytes");
    }

    @Test
    void samplesAreImmutableAndCompareByContent() {
        float[] input = {1, 2};
        long[] shape = {2};
        CapturedSample sample = new CapturedSample("r", "m", "1", 0, 0, 1f, shape, input, null);
        input[0] = 9;
        shape[0] = 5;
        sample.input()[1] = 9;
        assertArrayEquals(new float[] {1, 2}, sample.input());
        assertArrayEquals(new long[] {2}, sample.shape());
        CapturedSample same = new CapturedSample("r", "m", "1", 0, 0, 1f, new long[] {2}, new float[] {1, 2}, null);
        assertEquals(same, sample);
        assertEquals(same.hashCode(), sample.hashCode());
        assertNotEquals(same, sample.withLabel(1));
        assertEquals(1, sample.withLabel(1).label());
        assertTrue(sample.toString().contains("2 values"));
    }

    // ---- malformed input names its field ----

    @Test
    void badInputsAreNamed() throws Exception {
        refused("samples[0].inputB64", edit(SampleMessages.captures(), t -> sample(t, 0).put("inputB64", "not base64!")));
        refused("samples[0].inputB64", edit(SampleMessages.captures(), t -> sample(t, 0).put("inputB64",
                Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5}))));
        refused("samples[0].inputB64", edit(SampleMessages.captures(), t -> sample(t, 0).put("inputB64", 12)));
        refused("samples[0].input", edit(SampleMessages.captures(), t -> sample(t, 0).put("inputB64",
                Float32Le.toBase64(new float[] {1, 2}))));
        ByteBuffer nan = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(Float.NaN);
        refused("samples[1].input[1]", edit(SampleMessages.captures(), t -> sample(t, 1).put("inputB64",
                Base64.getEncoder().encodeToString(nan.array()))));
        refused("samples[1].inputB64", edit(SampleMessages.captures(), t -> sample(t, 1).remove("inputB64")));
    }

    @Test
    void badShapesAreNamed() throws Exception {
        refused("samples[0].shape[1]", edit(SampleMessages.captures(), t -> sample(t, 0).putArray("shape").add(2).add(0).add(3)));
        refused("samples[0].shape[0]", edit(SampleMessages.captures(), t -> sample(t, 0).putArray("shape").add("6")));
        refused("samples[0].shape[0]", edit(SampleMessages.captures(), t -> sample(t, 0).putArray("shape").add(6.0)));
        refused("samples[0].shape", edit(SampleMessages.captures(), t -> sample(t, 0).put("shape", 6)));
        refused("samples[0].input", edit(SampleMessages.captures(), t -> sample(t, 0).putArray("shape")
                .add(Long.MAX_VALUE).add(Long.MAX_VALUE)));
    }

    @Test
    void badSampleFieldsAreNamed() throws Exception {
        refused("samples[0].confidence", edit(SampleMessages.captures(), t -> sample(t, 0).put("confidence", 1.5)));
        refused("samples[0].confidence", edit(SampleMessages.captures(), t -> sample(t, 0).put("confidence", "high")));
        refused("samples[1].label", edit(SampleMessages.captures(), t -> sample(t, 1).put("label", -1)));
        refused("samples[1].label", edit(SampleMessages.captures(), t -> sample(t, 1).put("label", 1.5)));
        refused("samples[1].label", edit(SampleMessages.captures(), t -> sample(t, 1).put("label", 1L << 40)));
        refused("samples[0].predicted", edit(SampleMessages.captures(), t -> sample(t, 0).remove("predicted")));
        refused("samples[0].requestId", edit(SampleMessages.captures(), t -> sample(t, 0).put("requestId", " ")));
        refused("samples[0].capturedAtMillis", edit(SampleMessages.captures(), t -> sample(t, 0).put("capturedAtMillis", -5)));
        refused("samples[0].version", edit(SampleMessages.captures(), t -> sample(t, 0).putNull("version")));
        refused("samples", edit(SampleMessages.captures(), t -> t.putArray("samples")));
        refused("samples[1]", edit(SampleMessages.captures(), t -> t.withArray("samples").set(1, json.getNodeFactory().textNode("x"))));
        refused("samples", edit(SampleMessages.captures(), t -> t.remove("samples")));
    }

    @Test
    void badLabelsAreNamed() throws Exception {
        refused("labels[0].source", edit(SampleMessages.labels(), t -> label(t, 0).put("source", "")));
        refused("labels[1].label", edit(SampleMessages.labels(), t -> label(t, 1).put("label", -2)));
        refused("labels[1].labelledAtMillis", edit(SampleMessages.labels(), t -> label(t, 1).put("labelledAtMillis", "now")));
        refused("labels[0].model", edit(SampleMessages.labels(), t -> label(t, 0).remove("model")));
        refused("labels", edit(SampleMessages.labels(), t -> t.putArray("labels")));
    }

    @Test
    void theTopicPicksCapturesOrLabelsAndTheDeviceMustAgree() {
        byte[] captures = codec.encode(SampleMessages.captures());
        byte[] labels = codec.encode(SampleMessages.labels());
        MessageFormatException e = assertThrows(MessageFormatException.class,
                () -> codec.decodeForTopic(Topics.labels(SampleMessages.DEVICE), captures));
        assertEquals("schema", e.field());
        e = assertThrows(MessageFormatException.class,
                () -> codec.decodeForTopic(Topics.captures(SampleMessages.DEVICE), labels));
        assertEquals("schema", e.field());
        e = assertThrows(MessageFormatException.class, () -> codec.decodeForTopic(Topics.captures("other"), captures));
        assertEquals("deviceId", e.field());
    }

    @Test
    void recordsRefuseWhatTheWireWouldRefuse() {
        assertThrows(io.edgeloop.protocol.InvalidFieldException.class, () -> new CaptureBatch(SampleMessages.DEVICE,
                SampleMessages.TS, 0, List.of()));
        assertThrows(io.edgeloop.protocol.InvalidFieldException.class, () -> new LabelBatch(SampleMessages.DEVICE,
                SampleMessages.TS, 0, List.of()));
        assertThrows(io.edgeloop.protocol.InvalidFieldException.class,
                () -> new CapturedSample("r", "m", "1", 0, -1, 0.5f, new long[] {1}, new float[] {0}, null));
        assertThrows(io.edgeloop.protocol.InvalidFieldException.class,
                () -> new CapturedSample("r", "m", "1", 0, 0, Float.NaN, new long[] {1}, new float[] {0}, null));
        assertThrows(io.edgeloop.protocol.InvalidFieldException.class,
                () -> new CapturedSample("r", "m", "1", 0, 0, 0.5f, null, new float[] {0}, null));
        assertThrows(io.edgeloop.protocol.InvalidFieldException.class,
                () -> new SampleLabel("r", "m", 0, 0, null));
    }

    private static ObjectNode sample(ObjectNode tree, int index) {
        return (ObjectNode) tree.withArray("samples").get(index);
    }

    private static ObjectNode label(ObjectNode tree, int index) {
        return (ObjectNode) tree.withArray("labels").get(index);
    }

    private byte[] edit(Message message, Consumer<ObjectNode> change) throws IOException {
        ObjectNode tree = (ObjectNode) json.readTree(codec.encode(message));
        change.accept(tree);
        return json.writeValueAsBytes(tree);
    }

    private void refused(String field, byte[] bytes) {
        MessageFormatException e = assertThrows(MessageFormatException.class, () -> codec.decode(bytes),
                () -> "expected a refusal naming " + field);
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(ErrorCode.MALFORMED_MESSAGE, e.code());
        assertFalse(e.getMessage().contains("\n"));
    }
}
