package io.edgeloop.protocol.topic;

import io.edgeloop.protocol.MessageFormatException;

/**
 * The EdgeLoop topic namespace {@code edgeloop/v1/devices/{deviceId}/…}: one builder per topic
 * and a parser that turns a received topic back into a {@link DeviceTopic}.
 *
 * <p>Builders validate every identifier with {@link TopicSegments} and throw
 * {@link io.edgeloop.protocol.InvalidFieldException} for a bad one: ids reach them from
 * configuration or the device registry, where they were already checked, so a bad id here is a
 * programming error. The parser, which sees topics from the network, throws the checked
 * {@link MessageFormatException} instead. Subscription filters live in {@link TopicFilters}.
 */
public final class Topics {
    /** Every EdgeLoop device topic starts with this prefix and a {@code /}. */
    public static final String ROOT = "edgeloop/v1/devices";

    private static final String[] ROOT_LEVELS = ROOT.split("/");

    /**
     * {@code edgeloop/v1/server/ingest}: a server replica says its ingest is subscribed (QoS 0,
     * never retained), right after every subscribe, when a device's birth arrives, and every
     * {@code 30 s}. An agent sends its outbox only once it has heard this live (not a retained
     * copy) on its current connection: Mosquitto 2.0 does not restore a shared subscription after
     * it restarts, and what devices publish before the server subscribes again would be dropped.
     * The payload is informational ({@code {"schema":"edgeloop.ingest/1","replica":…,"ts":…}}).
     */
    public static final String INGEST_PRESENCE = "edgeloop/v1/server/ingest";

    private Topics() {
    }

    /** {@code edgeloop/v1/devices/{deviceId}/birth}, retained. */
    public static String birth(String deviceId) {
        return device(deviceId) + "/birth";
    }

    /** {@code edgeloop/v1/devices/{deviceId}/status}, retained; also the last will. */
    public static String status(String deviceId) {
        return device(deviceId) + "/status";
    }

    /** {@code edgeloop/v1/devices/{deviceId}/jobs/notify}, server to agent. */
    public static String jobNotify(String deviceId) {
        return device(deviceId) + "/jobs/notify";
    }

    /** {@code edgeloop/v1/devices/{deviceId}/jobs/{jobId}/update}, agent to server. */
    public static String jobUpdate(String deviceId, String jobId) {
        return device(deviceId) + "/jobs/" + TopicSegments.require("jobId", jobId) + "/update";
    }

    /** {@code edgeloop/v1/devices/{deviceId}/telemetry/health}. */
    public static String health(String deviceId) {
        return device(deviceId) + "/telemetry/health";
    }

    /** {@code edgeloop/v1/devices/{deviceId}/telemetry/drift}. */
    public static String drift(String deviceId) {
        return device(deviceId) + "/telemetry/drift";
    }

    /** {@code edgeloop/v1/devices/{deviceId}/telemetry/captures}: captured inferences. */
    public static String captures(String deviceId) {
        return device(deviceId) + "/telemetry/captures";
    }

    /** {@code edgeloop/v1/devices/{deviceId}/telemetry/labels}: labels of captured inferences. */
    public static String labels(String deviceId) {
        return device(deviceId) + "/telemetry/labels";
    }

    /** {@code edgeloop/v1/devices/{deviceId}/cmd/{name}}, server to agent. */
    public static String command(String deviceId, String name) {
        return device(deviceId) + "/cmd/" + TopicSegments.require("commandName", name);
    }

    /** {@code edgeloop/v1/devices/{deviceId}}, the parent of all of one device's topics. */
    static String device(String deviceId) {
        return ROOT + "/" + TopicSegments.require("deviceId", deviceId);
    }

    /**
     * Parses a topic a message arrived on.
     *
     * @throws MessageFormatException (field {@code topic}) if the topic is outside the namespace,
     *     has an unknown suffix, or holds an invalid device id, job id or command name
     */
    public static DeviceTopic parse(String topic) throws MessageFormatException {
        if (topic == null) {
            throw refused(null, "is missing");
        }
        // -1 keeps trailing empty levels, so "…/birth/" is refused rather than read as "…/birth".
        String[] levels = topic.split("/", -1);
        if (levels.length < ROOT_LEVELS.length + 2) {
            throw refused(topic, "is not under " + ROOT + "/{deviceId}/");
        }
        for (int i = 0; i < ROOT_LEVELS.length; i++) {
            if (!ROOT_LEVELS[i].equals(levels[i])) {
                throw refused(topic, "is not under " + ROOT + "/");
            }
        }
        String deviceId = levels[ROOT_LEVELS.length];
        requireLevel(topic, "device id", deviceId);
        int rest = ROOT_LEVELS.length + 1;
        int count = levels.length - rest;
        String first = levels[rest];
        String second = count > 1 ? levels[rest + 1] : null;
        if (count == 1 && first.equals("birth")) {
            return new DeviceTopic(deviceId, TopicKind.BIRTH, null, null);
        }
        if (count == 1 && first.equals("status")) {
            return new DeviceTopic(deviceId, TopicKind.STATUS, null, null);
        }
        if (count == 2 && first.equals("jobs") && second.equals("notify")) {
            return new DeviceTopic(deviceId, TopicKind.JOB_NOTIFY, null, null);
        }
        if (count == 3 && first.equals("jobs") && levels[rest + 2].equals("update")) {
            requireLevel(topic, "job id", second);
            return new DeviceTopic(deviceId, TopicKind.JOB_UPDATE, second, null);
        }
        if (count == 2 && first.equals("telemetry") && second.equals("health")) {
            return new DeviceTopic(deviceId, TopicKind.HEALTH, null, null);
        }
        if (count == 2 && first.equals("telemetry") && second.equals("drift")) {
            return new DeviceTopic(deviceId, TopicKind.DRIFT, null, null);
        }
        if (count == 2 && first.equals("telemetry") && second.equals("captures")) {
            return new DeviceTopic(deviceId, TopicKind.CAPTURES, null, null);
        }
        if (count == 2 && first.equals("telemetry") && second.equals("labels")) {
            return new DeviceTopic(deviceId, TopicKind.LABELS, null, null);
        }
        if (count == 2 && first.equals("cmd")) {
            requireLevel(topic, "command name", second);
            return new DeviceTopic(deviceId, TopicKind.COMMAND, null, second);
        }
        throw refused(topic, "has an unknown suffix after the device id");
    }

    private static void requireLevel(String topic, String what, String value) throws MessageFormatException {
        String problem = TopicSegments.problem(value);
        if (problem != null) {
            throw refused(topic, "has a " + what + " that " + problem);
        }
    }

    private static MessageFormatException refused(String topic, String problem) {
        return new MessageFormatException("topic", TopicSegments.printable(topic) + " " + problem);
    }
}
