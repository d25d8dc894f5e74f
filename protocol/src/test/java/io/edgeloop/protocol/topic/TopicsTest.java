package io.edgeloop.protocol.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.InvalidFieldException;
import io.edgeloop.protocol.MessageFormatException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {
    private static final String DEVICE = "gw-07";

    @Test
    void buildsTheDesignNamespace() {
        assertEquals("edgeloop/v1/devices/gw-07/birth", Topics.birth(DEVICE));
        assertEquals("edgeloop/v1/devices/gw-07/status", Topics.status(DEVICE));
        assertEquals("edgeloop/v1/devices/gw-07/jobs/notify", Topics.jobNotify(DEVICE));
        assertEquals("edgeloop/v1/devices/gw-07/jobs/job-1/update", Topics.jobUpdate(DEVICE, "job-1"));
        assertEquals("edgeloop/v1/devices/gw-07/telemetry/health", Topics.health(DEVICE));
        assertEquals("edgeloop/v1/devices/gw-07/telemetry/drift", Topics.drift(DEVICE));
        assertEquals("edgeloop/v1/devices/gw-07/cmd/rollback", Topics.command(DEVICE, "rollback"));
        assertEquals("edgeloop/v1/devices/gw-07/telemetry/captures", Topics.captures(DEVICE));
        assertEquals("edgeloop/v1/devices/gw-07/telemetry/labels", Topics.labels(DEVICE));
    }

    static List<DeviceTopic> everyKind() {
        return List.of(new DeviceTopic(DEVICE, TopicKind.BIRTH, null, null),
                new DeviceTopic(DEVICE, TopicKind.STATUS, null, null),
                new DeviceTopic(DEVICE, TopicKind.JOB_NOTIFY, null, null),
                new DeviceTopic(DEVICE, TopicKind.JOB_UPDATE, "job-1", null),
                new DeviceTopic("gerät-ü-😀", TopicKind.JOB_UPDATE, "notify", null),
                new DeviceTopic(DEVICE, TopicKind.HEALTH, null, null),
                new DeviceTopic(DEVICE, TopicKind.DRIFT, null, null),
                new DeviceTopic(DEVICE, TopicKind.CAPTURES, null, null),
                new DeviceTopic(DEVICE, TopicKind.LABELS, null, null),
                new DeviceTopic(DEVICE, TopicKind.COMMAND, null, "capture"),
                new DeviceTopic("x".repeat(TopicSegments.MAX_LENGTH), TopicKind.COMMAND, null, "config"));
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void parseInvertsTheBuilders(DeviceTopic address) throws MessageFormatException {
        assertEquals(address, Topics.parse(address.topic()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "a+", "#", "a\u0000b", "a\nb", "", "\u007f", "a\u2028b", "\ud800x"})
    void refusesBadDeviceIds(String deviceId) {
        assertTrue(TopicSegments.problem(deviceId) != null);
        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> Topics.birth(deviceId));
        assertEquals("deviceId", e.field());
        EdgeLoopException checked = assertThrows(EdgeLoopException.class, () -> TopicSegments.checkDeviceId(deviceId));
        assertEquals(ErrorCode.INVALID_DEVICE_ID, checked.code());
    }

    @Test
    void refusesTooLongAndMissingIds() {
        String tooLong = "x".repeat(TopicSegments.MAX_LENGTH + 1);
        assertThrows(InvalidFieldException.class, () -> Topics.health(tooLong));
        assertThrows(InvalidFieldException.class, () -> Topics.health(null));
        InvalidFieldException job = assertThrows(InvalidFieldException.class, () -> Topics.jobUpdate(DEVICE, "j/1"));
        assertEquals("jobId", job.field());
        InvalidFieldException cmd = assertThrows(InvalidFieldException.class, () -> Topics.command(DEVICE, "+"));
        assertEquals("commandName", cmd.field());
    }

    @Test
    void errorMessagesEscapeControlCharacters() {
        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> Topics.birth("a\nb"));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("U+000A"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "edgeloop/v1/devices/gw-07",
        "edgeloop/v1/devices/gw-07/",
        "edgeloop/v1/devices/gw-07/birth/",
        "edgeloop/v1/devices/gw-07/births",
        "edgeloop/v1/devices//birth",
        "edgeloop/v1/devices/+/birth",
        "edgeloop/v1/devices/#",
        "edgeloop/v2/devices/gw-07/birth",
        "/edgeloop/v1/devices/gw-07/birth",
        "edgeloop/v1/devices/gw-07/jobs/notify/extra",
        "edgeloop/v1/devices/gw-07/jobs//update",
        "edgeloop/v1/devices/gw-07/jobs/a+b/update",
        "edgeloop/v1/devices/gw-07/cmd",
        "edgeloop/v1/devices/gw-07/cmd/",
        "edgeloop/v1/devices/gw-07/telemetry/cpu",
        "edgeloop/v1/devices/a\u0000b/status",
        "",
    })
    void parseRefusesTopicsOutsideTheNamespace(String topic) {
        MessageFormatException e = assertThrows(MessageFormatException.class, () -> Topics.parse(topic));
        assertEquals("topic", e.field());
        assertEquals(ErrorCode.MALFORMED_MESSAGE, e.code());
        assertFalse(e.getMessage().contains("\u0000"));
    }

    @Test
    void parseRefusesNull() {
        assertThrows(MessageFormatException.class, () -> Topics.parse(null));
    }

    @Test
    void serverFiltersMatchWhatAgentsPublishAndNothingElse() {
        String update = Topics.jobUpdate(DEVICE, "job-1");
        assertTrue(TopicFilters.matches(TopicFilters.ALL_JOB_UPDATES, update));
        assertTrue(TopicFilters.matches(TopicFilters.ALL_TELEMETRY, Topics.health(DEVICE)));
        assertTrue(TopicFilters.matches(TopicFilters.ALL_TELEMETRY, Topics.drift(DEVICE)));
        assertTrue(TopicFilters.matches(TopicFilters.ALL_HEALTH, Topics.health(DEVICE)));
        assertFalse(TopicFilters.matches(TopicFilters.ALL_HEALTH, Topics.drift(DEVICE)));
        // Captures and labels are telemetry: the server's one telemetry subscription receives them.
        assertTrue(TopicFilters.matches(TopicFilters.ALL_TELEMETRY, Topics.captures(DEVICE)));
        assertTrue(TopicFilters.matches(TopicFilters.ALL_TELEMETRY, Topics.labels(DEVICE)));
        assertTrue(TopicFilters.matches(TopicFilters.ALL_TELEMETRY_STREAMS, Topics.captures(DEVICE)));
        assertTrue(TopicFilters.matches(TopicFilters.ALL_CAPTURES, Topics.captures(DEVICE)));
        assertTrue(TopicFilters.matches(TopicFilters.ALL_LABELS, Topics.labels(DEVICE)));
        assertFalse(TopicFilters.matches(TopicFilters.ALL_CAPTURES, Topics.labels(DEVICE)));
        assertTrue(TopicFilters.SERVER.stream().anyMatch(f -> TopicFilters.matches(f, Topics.captures(DEVICE))));
        assertTrue(TopicFilters.SERVER.stream().anyMatch(f -> TopicFilters.matches(f, Topics.labels(DEVICE))));
        assertTrue(TopicFilters.matches(TopicFilters.ALL_BIRTHS, Topics.birth(DEVICE)));
        assertTrue(TopicFilters.matches(TopicFilters.ALL_STATUS, Topics.status(DEVICE)));
        for (String filter : TopicFilters.SERVER) {
            assertFalse(TopicFilters.matches(filter, Topics.jobNotify(DEVICE)), filter);
            assertFalse(TopicFilters.matches(filter, Topics.command(DEVICE, "rollback")), filter);
        }
        List<String> agent = TopicFilters.agent(DEVICE);
        assertTrue(agent.stream().anyMatch(f -> TopicFilters.matches(f, Topics.jobNotify(DEVICE))));
        assertTrue(agent.stream().anyMatch(f -> TopicFilters.matches(f, Topics.command(DEVICE, "config"))));
        assertFalse(agent.stream().anyMatch(f -> TopicFilters.matches(f, Topics.command("other", "config"))));
        assertFalse(agent.stream().anyMatch(f -> TopicFilters.matches(f, update)));
    }

    @Test
    void sharedSubscriptionsWrapTheServerFilters() {
        assertEquals("$share/replicas/edgeloop/v1/devices/+/telemetry/#",
                TopicFilters.shared("replicas", TopicFilters.ALL_TELEMETRY));
        List<String> shared = TopicFilters.sharedServer("replicas");
        assertEquals(TopicFilters.SERVER.size(), shared.size());
        assertTrue(shared.stream().allMatch(f -> f.startsWith("$share/replicas/edgeloop/v1/devices/+/")));
        assertTrue(TopicFilters.matches(shared.get(0), Topics.birth(DEVICE)));
        assertThrows(InvalidFieldException.class, () -> TopicFilters.shared("a/b", TopicFilters.ALL_BIRTHS));
        assertThrows(InvalidFieldException.class, () -> TopicFilters.shared("g", "$share/x/y"));
    }

    @Test
    void mqttMatchingRule() {
        assertTrue(TopicFilters.matches("a/#", "a"));
        assertTrue(TopicFilters.matches("a/#", "a/b/c"));
        assertTrue(TopicFilters.matches("a/+/c", "a/b/c"));
        assertFalse(TopicFilters.matches("a/+/c", "a/b/d"));
        assertFalse(TopicFilters.matches("a/+", "a/b/c"));
        assertFalse(TopicFilters.matches("a/b", "a"));
    }

    @Test
    void deviceTopicRefusesInconsistentParts() {
        assertThrows(InvalidFieldException.class, () -> new DeviceTopic(DEVICE, TopicKind.BIRTH, "job", null));
        assertThrows(InvalidFieldException.class, () -> new DeviceTopic(DEVICE, TopicKind.JOB_UPDATE, null, null));
        assertThrows(InvalidFieldException.class, () -> new DeviceTopic(DEVICE, TopicKind.COMMAND, null, "a/b"));
        assertNull(new DeviceTopic(DEVICE, TopicKind.STATUS, null, null).jobId());
    }
}
