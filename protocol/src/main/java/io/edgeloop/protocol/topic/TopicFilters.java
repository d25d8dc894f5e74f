package io.edgeloop.protocol.topic;

import io.edgeloop.protocol.InvalidFieldException;
import java.util.List;

/**
 * MQTT subscription filters over the EdgeLoop namespace, and the MQTT matching rule so code and
 * tests can check which topics a filter receives.
 *
 * <p>The server subscribes to what agents publish, across all devices. With several server
 * replicas it wraps each filter in {@link #shared(String, String)}, so the broker hands each
 * message to one replica of the group instead of to all of them.
 */
public final class TopicFilters {
    private static final String ALL_DEVICES = Topics.ROOT + "/+";

    /** Every device's birth message. */
    public static final String ALL_BIRTHS = ALL_DEVICES + "/birth";
    /** Every device's presence. */
    public static final String ALL_STATUS = ALL_DEVICES + "/status";
    /** Every job execution update of every device. */
    public static final String ALL_JOB_UPDATES = ALL_DEVICES + "/jobs/+/update";
    /** Every device's telemetry: health, drift, captures and labels alike. */
    public static final String ALL_TELEMETRY = ALL_DEVICES + "/telemetry/#";
    /** Every device's health telemetry. */
    public static final String ALL_HEALTH = ALL_DEVICES + "/telemetry/health";
    /** Every device's drift telemetry. */
    public static final String ALL_DRIFT = ALL_DEVICES + "/telemetry/drift";
    /** Every device's captured inferences. */
    public static final String ALL_CAPTURES = ALL_DEVICES + "/telemetry/captures";
    /** Every device's labels of captured inferences. */
    public static final String ALL_LABELS = ALL_DEVICES + "/telemetry/labels";

    /** Every device's telemetry streams, one level after {@code telemetry}. */
    public static final String ALL_TELEMETRY_STREAMS = ALL_DEVICES + "/telemetry/+";

    /** What a fleet server subscribes to: everything agents publish. */
    public static final List<String> SERVER = List.of(ALL_BIRTHS, ALL_STATUS, ALL_JOB_UPDATES, ALL_TELEMETRY);

    private TopicFilters() {
    }

    /** What an agent subscribes to: its job documents and its commands. */
    public static List<String> agent(String deviceId) {
        return List.of(Topics.jobNotify(deviceId), commands(deviceId));
    }

    /**
     * What one device may publish: its birth, status, telemetry streams and job updates. The
     * broker's ACL (embedded or Mosquitto's file) grants exactly these to the device's user.
     */
    public static List<String> agentPublishes(String deviceId) {
        String device = Topics.device(deviceId);
        return List.of(Topics.birth(deviceId), Topics.status(deviceId), device + "/telemetry/+",
                device + "/jobs/+/update");
    }

    /**
     * Whether every topic {@code requested} (a topic or a filter) can match is also matched by
     * {@code granted}: {@code +} in {@code granted} covers one level (also a {@code +} asked
     * for), {@code #} covers the rest; a {@code #} asked for is covered only by a {@code #}.
     * An ACL uses it so that a device's wildcard subscription cannot reach other devices.
     */
    public static boolean covers(String granted, String requested) {
        if (requested.startsWith("$")) {
            return false;
        }
        String[] g = granted.split("/", -1);
        String[] r = requested.split("/", -1);
        for (int i = 0; i < g.length; i++) {
            if (g[i].equals("#")) {
                return i == g.length - 1;
            }
            if (i >= r.length || r[i].equals("#")) {
                return false;
            }
            if (!g[i].equals("+") && !g[i].equals(r[i])) {
                return false;
            }
        }
        return g.length == r.length;
    }

    /** {@code edgeloop/v1/devices/{deviceId}/cmd/+}: every command to one device. */
    public static String commands(String deviceId) {
        return Topics.device(deviceId) + "/cmd/+";
    }

    /** The server filters, each as a shared subscription of {@code group}. */
    public static List<String> sharedServer(String group) {
        return SERVER.stream().map(filter -> shared(group, filter)).toList();
    }

    /**
     * {@code $share/{group}/{filter}}: an MQTT 5 / broker-extension shared subscription, so that
     * replicas in one group split the messages between them.
     */
    public static String shared(String group, String filter) {
        TopicSegments.require("group", group);
        if (filter == null || filter.isEmpty() || filter.startsWith("$")) {
            throw new InvalidFieldException("filter", "must be a plain topic filter");
        }
        return "$share/" + group + "/" + filter;
    }

    /**
     * Whether {@code topic} matches the MQTT filter {@code filter} ({@code +} one level,
     * {@code #} the rest, including the parent level). A {@code $share/{group}/} prefix is ignored.
     */
    public static boolean matches(String filter, String topic) {
        String plain = filter;
        if (plain.startsWith("$share/")) {
            int slash = plain.indexOf('/', "$share/".length());
            if (slash < 0) {
                return false;
            }
            plain = plain.substring(slash + 1);
        }
        String[] f = plain.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return i == f.length - 1;
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
