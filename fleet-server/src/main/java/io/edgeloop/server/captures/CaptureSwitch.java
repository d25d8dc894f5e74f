package io.edgeloop.server.captures;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.message.Command;
import io.edgeloop.protocol.message.CommandName;
import io.edgeloop.server.access.Actor;
import io.edgeloop.server.audit.AuditLog;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.devices.Device;
import io.edgeloop.server.devices.DeviceFilter;
import io.edgeloop.server.devices.DeviceService;
import io.edgeloop.server.rollout.JobPublisher;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Switches capture on registered devices: publishes {@code cmd/capture} (args {@code enabled},
 * optional {@code sampleRate}) over MQTT, QoS 1, and audits each command sent
 * ({@code device.capture}). The agent applies it and keeps it across restarts. The answer says
 * whether the device was online when the broker took the command: an offline one may not hear it.
 */
public final class CaptureSwitch {
    private final Database db;
    private final AuditLog audit;
    private final DeviceService devices;
    private final JobPublisher publisher;
    private final Clock clock;
    // Server-to-agent sequence numbers only need to grow; the rollout engine counts the same way.
    private final AtomicLong seq;

    /** One capture setting: {@code sampleRate} null keeps the device's own rate. */
    public record Setting(boolean enabled, Double sampleRate) {
        public Setting {
            if (sampleRate != null && !(sampleRate >= 0 && sampleRate <= 1)) {
                throw new IllegalArgumentException("sampleRate must be a number in [0, 1], not " + sampleRate);
            }
        }

        Map<String, String> args() {
            Map<String, String> args = new LinkedHashMap<>();
            args.put("enabled", Boolean.toString(enabled));
            if (sampleRate != null) {
                args.put("sampleRate", Double.toString(sampleRate));
            }
            return args;
        }
    }

    /** What one device was sent. */
    public record Sent(String deviceId, boolean enabled, Double sampleRate, boolean online, long seq) {
    }

    /** @param publisher null when the server runs without MQTT: every send then fails with BROKER_UNAVAILABLE */
    public CaptureSwitch(Database db, AuditLog audit, DeviceService devices, JobPublisher publisher, Clock clock) {
        this.db = db;
        this.audit = audit;
        this.devices = devices;
        this.publisher = publisher;
        this.clock = clock;
        this.seq = new AtomicLong(clock.millis() * 1000);
    }

    /** Sends {@code setting} to one device; DEVICE_NOT_FOUND when it is not registered or revoked. */
    public Sent send(Actor actor, String deviceId, Setting setting) throws EdgeLoopException {
        Device d = devices.get(deviceId);
        if (d.revokedAt() != null) {
            throw new EdgeLoopException(ErrorCode.DEVICE_NOT_FOUND, "device '" + deviceId + "' is revoked");
        }
        return publish(actor, d, setting);
    }

    /** Sends {@code setting} to every registered, not revoked device {@code filter} selects (a group or tag). */
    public List<Sent> send(Actor actor, DeviceFilter filter, Setting setting) throws EdgeLoopException {
        if (filter.group() == null && filter.tagKey() == null) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "a capture command for many devices needs a group"
                    + " or a tag (key=value) to select them");
        }
        List<Sent> out = new ArrayList<>();
        for (Device d : devices.list(filter)) {
            if (d.revokedAt() == null) {
                out.add(publish(actor, d, setting));
            }
        }
        return out;
    }

    private Sent publish(Actor actor, Device d, Setting setting) throws EdgeLoopException {
        long n = seq.incrementAndGet();
        Command command = new Command(d.deviceId(), clock.instant(), n, CommandName.CAPTURE, setting.args());
        if (publisher == null || !publisher.command(command)) {
            throw new EdgeLoopException(ErrorCode.BROKER_UNAVAILABLE, "cmd/capture for " + d.deviceId()
                    + " was not taken by the MQTT broker");
        }
        Sent sent = new Sent(d.deviceId(), setting.enabled(), setting.sampleRate(), d.online(), n);
        db.transaction(c -> {
            audit.record(c, actor, "device.capture", "device:" + d.deviceId(), null, sent);
            return null;
        });
        return sent;
    }
}
