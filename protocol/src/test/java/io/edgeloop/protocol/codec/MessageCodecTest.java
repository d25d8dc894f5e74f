package io.edgeloop.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.InvalidFieldException;
import io.edgeloop.protocol.MessageFormatException;
import io.edgeloop.protocol.SampleMessages;
import io.edgeloop.protocol.message.BirthMessage;
import io.edgeloop.protocol.message.Command;
import io.edgeloop.protocol.message.DriftReport;
import io.edgeloop.protocol.message.FeatureDrift;
import io.edgeloop.protocol.message.HealthReport;
import io.edgeloop.protocol.message.JobDocument;
import io.edgeloop.protocol.message.JobExecutionUpdate;
import io.edgeloop.protocol.message.Message;
import io.edgeloop.protocol.message.OutputDrift;
import io.edgeloop.protocol.message.StatusMessage;
import io.edgeloop.protocol.topic.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MessageCodecTest {
    private final MessageCodec codec = new MessageCodec();
    private final ObjectMapper json = new ObjectMapper();

    static List<Message> samples() {
        return SampleMessages.all();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyMessageRoundTrips(Message message) throws MessageFormatException {
        byte[] bytes = codec.encode(message);
        assertEquals(message, codec.decode(bytes, message.getClass()));
        assertEquals(message, codec.decode(bytes));
        assertEquals(message, codec.decode(bytes, Message.class));
        assertEquals(message, codec.decodeForTopic(SampleMessages.topicOf(message), bytes));
        assertArrayEquals(bytes, codec.encode(codec.decode(bytes)), "encoding is deterministic");
    }

    @Test
    void headerComesFirstWithAnIsoTimestamp() throws IOException {
        JsonNode tree = json.readTree(codec.encode(SampleMessages.health()));
        List<String> names = new ArrayList<>();
        tree.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("schema", "deviceId", "ts", "seq"), names.subList(0, 4));
        assertEquals("edgeloop.health/1", tree.get("schema").asText());
        assertEquals("2026-11-26T05:00:00.123456789Z", tree.get("ts").asText());
    }

    @Test
    void jobUpdateCarriesStepAndErrorCodeInsideStatusDetails() throws IOException {
        JsonNode details = json.readTree(codec.encode(SampleMessages.failedUpdate())).get("statusDetails");
        assertEquals("VERIFYING", details.get("step").asText());
        assertEquals("PACKAGE_HASH_MISMATCH", details.get("errorCode").asText());
        assertEquals("sha256 differs", details.get("detail").asText());
    }

    @ParameterizedTest
    @MethodSource("samples")
    void unknownFieldsAreIgnoredAtEveryLevel(Message message) throws Exception {
        ObjectNode tree = (ObjectNode) json.readTree(codec.encode(message));
        tree.put("addedInV1_1", "x");
        tree.putObject("futureBlock").putArray("list").add(1).add("two");
        tree.properties().forEach(entry -> {
            if (entry.getValue().isObject() && !entry.getKey().equals("statusDetails") && !entry.getKey().equals("args")) {
                ((ObjectNode) entry.getValue()).put("unknownNested", 42);
            }
        });
        assertEquals(message, codec.decode(json.writeValueAsBytes(tree), message.getClass()));
    }

    @Test
    void optionalFieldsMayBeAbsentOrNull() throws Exception {
        ObjectNode tree = tree(SampleMessages.job());
        tree.remove("shadow");
        tree.putNull("canary");
        JobDocument job = codec.decode(json.writeValueAsBytes(tree), JobDocument.class);
        assertFalse(job.shadow());
        assertFalse(job.canary());
        ObjectNode status = tree(SampleMessages.status());
        status.putNull("reason");
        assertEquals(null, codec.decode(json.writeValueAsBytes(status), StatusMessage.class).reason());
    }

    // ---- malformed input: one exception, naming the field ----

    @Test
    void syntaxErrorsNameTheDocumentOrTheFieldBeingRead() {
        assertRefused(MessageFormatException.DOCUMENT, utf8(""), StatusMessage.class);
        assertRefused(MessageFormatException.DOCUMENT, utf8("hello"), StatusMessage.class);
        assertRefused(MessageFormatException.DOCUMENT, utf8("[1,2]"), StatusMessage.class);
        assertRefused(MessageFormatException.DOCUMENT, utf8("\"just a string\""), StatusMessage.class);
        assertRefused(MessageFormatException.DOCUMENT, utf8("{} {}"), StatusMessage.class);
        assertRefused("seq", utf8("{\"schema\":\"edgeloop.status/1\",\"seq\":"), StatusMessage.class);
        assertRefused("deviceId", utf8("{\"schema\":\"edgeloop.status/1\",\"deviceId\":\"ab"), StatusMessage.class);
        assertRefused("seq", utf8("{\"seq\":1,\"seq\":2}"), StatusMessage.class);
        assertRefused("seq", utf8("{\"seq\":NaN}"), StatusMessage.class);
    }

    @Test
    void truncationAnywhereIsRefused() {
        byte[] bytes = codec.encode(SampleMessages.drift());
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(bytes, length);
            MessageFormatException e = assertThrows(MessageFormatException.class,
                    () -> codec.decode(cut, DriftReport.class), "cut at " + length);
            assertFalse(e.field().isBlank());
        }
    }

    @Test
    void wrongTypesNameTheirField() throws Exception {
        assertRefused("seq", edit(SampleMessages.status(), t -> t.put("seq", "5")), StatusMessage.class);
        assertRefused("seq", edit(SampleMessages.status(), t -> t.put("seq", 1.5)), StatusMessage.class);
        assertRefused("seq", edit(SampleMessages.status(), t -> t.put("seq", new java.math.BigInteger("18446744073709551616"))),
                StatusMessage.class);
        assertRefused("online", edit(SampleMessages.status(), t -> t.put("online", "true")), StatusMessage.class);
        assertRefused("inference.p95Micros", edit(SampleMessages.health(),
                t -> ((ObjectNode) t.get("inference")).put("p95Micros", "fast")), HealthReport.class);
        assertRefused("inference", edit(SampleMessages.health(), t -> t.put("inference", 3)), HealthReport.class);
        assertRefused("models[1]", edit(SampleMessages.birth(), t -> t.withArray("models").set(1, json.getNodeFactory().numberNode(5))),
                BirthMessage.class);
        assertRefused("hardware.cpuFlags[2]", edit(SampleMessages.birth(),
                t -> t.withObject("hardware").withArray("cpuFlags").set(2, json.getNodeFactory().booleanNode(true))),
                BirthMessage.class);
        assertRefused("statusDetails.bytesDownloaded", edit(SampleMessages.update(),
                t -> t.withObject("statusDetails").put("bytesDownloaded", 524288)), JobExecutionUpdate.class);
        assertRefused("statusDetails", edit(SampleMessages.update(), t -> t.put("statusDetails", "none")),
                JobExecutionUpdate.class);
        assertRefused("shadow", edit(SampleMessages.job(), t -> t.put("shadow", "yes")), JobDocument.class);
        assertRefused("args.enabled", edit(SampleMessages.command(), t -> t.withObject("args").putNull("enabled")
                .put("enabled", 1)), Command.class);
    }

    @Test
    void missingRequiredFieldsAreNamed() throws Exception {
        assertRefused("deviceId", edit(SampleMessages.status(), t -> t.remove("deviceId")), StatusMessage.class);
        assertRefused("ts", edit(SampleMessages.status(), t -> t.putNull("ts")), StatusMessage.class);
        assertRefused("schema", edit(SampleMessages.status(), t -> t.remove("schema")), StatusMessage.class);
        assertRefused("models[1].name", edit(SampleMessages.birth(),
                t -> ((ObjectNode) t.withArray("models").get(1)).remove("name")), BirthMessage.class);
        assertRefused("output", edit(SampleMessages.drift(), t -> t.remove("output")), DriftReport.class);
        assertRefused("sha256", edit(SampleMessages.job(), t -> t.remove("sha256")), JobDocument.class);
    }

    @Test
    void invalidValuesAreNamed() throws Exception {
        assertRefused("seq", edit(SampleMessages.health(), t -> t.put("seq", -1)), HealthReport.class);
        assertRefused("deviceId", edit(SampleMessages.health(), t -> t.put("deviceId", "a+b")), HealthReport.class);
        assertRefused("ts", edit(SampleMessages.health(), t -> t.put("ts", "yesterday")), HealthReport.class);
        assertRefused("statusDetails.step", edit(SampleMessages.update(),
                t -> t.withObject("statusDetails").put("step", "FLYING")), JobExecutionUpdate.class);
        assertRefused("statusDetails.errorCode", edit(SampleMessages.failedUpdate(),
                t -> t.withObject("statusDetails").put("errorCode", "OOPS")), JobExecutionUpdate.class);
        assertRefused("statusDetails.step", edit(SampleMessages.update(), t -> t.put("state", "QUEUED")),
                JobExecutionUpdate.class);
        assertRefused("state", edit(SampleMessages.update(), t -> t.put("state", "in_progress")),
                JobExecutionUpdate.class);
        assertRefused("features[1].ksPValue", edit(SampleMessages.drift(),
                t -> ((ObjectNode) t.withArray("features").get(1)).put("ksPValue", 2)), DriftReport.class);
        assertRefused("alpha", edit(SampleMessages.drift(), t -> t.put("alpha", 0)), DriftReport.class);
        assertRefused("alpha", utf8(new String(codec.encode(SampleMessages.drift()), StandardCharsets.UTF_8)
                .replaceFirst("\"alpha\":[0-9.E-]+", "\"alpha\":1e400")), DriftReport.class);
        assertRefused("liveAccuracy.labelledCount", edit(SampleMessages.drift(),
                t -> t.withObject("liveAccuracy").put("labelledCount", 0)), DriftReport.class);
        assertRefused("shadow.model.variant", edit(SampleMessages.health(),
                t -> t.withObject("shadow").withObject("model").put("variant", " ")), HealthReport.class);
        assertRefused("downloadUrl", edit(SampleMessages.job(), t -> t.put("downloadUrl", "file:///etc/shadow")),
                JobDocument.class);
        assertRefused("name", edit(SampleMessages.command(), t -> t.put("name", "reboot")), Command.class);
        assertRefused("validation.minAgreement", edit(SampleMessages.validatedJob(),
                t -> t.withObject("validation").put("minAgreement", 1.5)), JobDocument.class);
        assertRefused("validation.samples", edit(SampleMessages.validatedJob(),
                t -> t.withObject("validation").put("samples", 0)), JobDocument.class);
        assertRefused("validation.mode", edit(SampleMessages.validatedJob(),
                t -> t.withObject("validation").put("mode", "LIVE")), JobDocument.class);
    }

    @Test
    void wrongSchemaIsRefused() throws Exception {
        assertRefused("schema", edit(SampleMessages.health(), t -> t.put("schema", "edgeloop.health/2")),
                HealthReport.class);
        assertRefused("schema", codec.encode(SampleMessages.health()), BirthMessage.class);
        MessageFormatException e = assertThrows(MessageFormatException.class,
                () -> codec.decode(edit(SampleMessages.health(), t -> t.put("schema", "other/1"))));
        assertEquals("schema", e.field());
    }

    @Test
    void oversizeInvalidUtf8AndDeepNestingAreRefused() throws Exception {
        byte[] big = edit(SampleMessages.status(), t -> t.put("padding", "x".repeat(CodecOptions.DEFAULT_MAX_MESSAGE_BYTES)));
        assertRefused(MessageFormatException.DOCUMENT, big, StatusMessage.class);

        byte[] good = codec.encode(SampleMessages.status());
        byte[] badUtf8 = java.util.Arrays.copyOf(good, good.length);
        int reason = new String(good, StandardCharsets.UTF_8).indexOf("connection");
        badUtf8[reason] = (byte) 0xC3;
        badUtf8[reason + 1] = (byte) 0x28;
        assertRefused(MessageFormatException.DOCUMENT, badUtf8, StatusMessage.class);

        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        byte[] nested = utf8(new String(good, StandardCharsets.UTF_8).replaceFirst("^\\{", "{\"extra\":" + deep + ","));
        MessageFormatException e = assertThrows(MessageFormatException.class, () -> codec.decode(nested, StatusMessage.class));
        assertTrue(e.field().startsWith("extra") || e.field().equals(MessageFormatException.DOCUMENT), e.field());
    }

    @Test
    void errorMessagesAreLogSafe() throws Exception {
        MessageFormatException e = assertThrows(MessageFormatException.class, () -> codec.decode(
                edit(SampleMessages.command(), t -> t.put("name", "evil\n\u0000name")), Command.class));
        assertFalse(e.getMessage().contains("\n"));
        assertFalse(e.getMessage().contains("\u0000"));
        assertEquals(ErrorCode.MALFORMED_MESSAGE, e.code());
        assertTrue(e.describe().startsWith("MALFORMED_MESSAGE: name:"), e.describe());
    }

    @Test
    void encodeRefusesWhatTheReceiverWouldRefuse() {
        List<FeatureDrift> many = Collections.nCopies(5_000,
                new FeatureDrift("a-feature-with-a-rather-long-name", 0.1, 0.1, 0.5, false));
        DriftReport huge = new DriftReport(SampleMessages.DEVICE, SampleMessages.TS, 0, SampleMessages.FP32,
                SampleMessages.TS, SampleMessages.TS, 1, many, new OutputDrift(0, 1, false), null, null, false, 0.01);
        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> codec.encode(huge));
        assertEquals(MessageFormatException.DOCUMENT, e.field());
    }

    // ---- topics pick the record and must agree with it ----

    @Test
    void topicPicksTheRecordType() throws MessageFormatException {
        byte[] health = codec.encode(SampleMessages.health());
        assertTrue(codec.decodeForTopic(Topics.health(SampleMessages.DEVICE), health) instanceof HealthReport);
        MessageFormatException e = assertThrows(MessageFormatException.class,
                () -> codec.decodeForTopic(Topics.drift(SampleMessages.DEVICE), health));
        assertEquals("schema", e.field());
    }

    @Test
    void aDeviceSpeaksOnlyForItself() {
        byte[] health = codec.encode(SampleMessages.health());
        MessageFormatException e = assertThrows(MessageFormatException.class,
                () -> codec.decodeForTopic(Topics.health("someone-else"), health));
        assertEquals("deviceId", e.field());
        byte[] update = codec.encode(SampleMessages.update());
        e = assertThrows(MessageFormatException.class,
                () -> codec.decodeForTopic(Topics.jobUpdate(SampleMessages.DEVICE, "job-43"), update));
        assertEquals("jobId", e.field());
        byte[] command = codec.encode(SampleMessages.command());
        e = assertThrows(MessageFormatException.class,
                () -> codec.decodeForTopic(Topics.command(SampleMessages.DEVICE, "rollback"), command));
        assertEquals("name", e.field());
        e = assertThrows(MessageFormatException.class, () -> codec.decodeForTopic("edgeloop/v1/devices/a/b/c", command));
        assertEquals("topic", e.field());
    }

    private ObjectNode tree(Message message) throws IOException {
        return (ObjectNode) json.readTree(codec.encode(message));
    }

    private byte[] edit(Message message, Consumer<ObjectNode> change) throws IOException {
        ObjectNode tree = tree(message);
        change.accept(tree);
        return json.writeValueAsBytes(tree);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void assertRefused(String field, byte[] bytes, Class<? extends Message> type) {
        MessageFormatException e = assertThrows(MessageFormatException.class, () -> codec.decode(bytes, type),
                () -> "expected a refusal naming " + field);
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(ErrorCode.MALFORMED_MESSAGE, e.code());
    }
}
