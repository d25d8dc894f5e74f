package io.edgeloop.server.ingest;

import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.message.BirthMessage;
import io.edgeloop.protocol.message.CaptureBatch;
import io.edgeloop.protocol.message.LabelBatch;
import io.edgeloop.protocol.message.DriftReport;
import io.edgeloop.protocol.message.HealthReport;
import io.edgeloop.protocol.message.StatusMessage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one batch of arrivals changes, gathered before one transaction writes it: telemetry rows
 * (every one, de-duplicated by the database), and per device only the newest birth, status,
 * health and drift (the device state keeps the last of each), the capture and label batches, plus
 * the rejects per error code.
 */
public final class IngestBatch {
    /** A stored telemetry message. */
    public record Row(String deviceId, String stream, long seq, long tsMillis, String modelName, String modelVersion,
                      Double p95Micros, Long errorCount, Boolean drifted, String payload, long receivedMillis) {
    }

    /** The health or drift message last seen of a device, with its raw JSON. */
    public record Latest<T extends io.edgeloop.protocol.message.Message>(T message, String payload) {
    }

    /** Rejected messages of one error code: how many, and the last one's topic and reason. */
    public record Rejects(long count, String lastTopic, String lastError) {
    }

    final List<Row> rows = new ArrayList<>();
    final Map<String, BirthMessage> births = new LinkedHashMap<>();
    final Map<String, StatusMessage> statuses = new LinkedHashMap<>();
    final Map<String, Latest<HealthReport>> health = new LinkedHashMap<>();
    final Map<String, Latest<DriftReport>> drift = new LinkedHashMap<>();
    final Map<ErrorCode, Rejects> rejects = new EnumMap<>(ErrorCode.class);
    final List<io.edgeloop.protocol.message.JobExecutionUpdate> jobUpdates = new ArrayList<>();
    final List<CaptureBatch> captures = new ArrayList<>();
    final List<LabelBatch> labels = new ArrayList<>();

    void birth(BirthMessage m) {
        births.put(m.deviceId(), m);
    }

    void status(StatusMessage m) {
        // Arrival order, not ts: the last will carries the time of the connect that registered it.
        statuses.put(m.deviceId(), m);
    }

    void health(HealthReport m, Row row) {
        rows.add(row);
        health.merge(m.deviceId(), new Latest<>(m, row.payload()),
                (a, b) -> b.message().ts().isBefore(a.message().ts()) ? a : b);
    }

    void drift(DriftReport m, Row row) {
        rows.add(row);
        drift.merge(m.deviceId(), new Latest<>(m, row.payload()),
                (a, b) -> b.message().ts().isBefore(a.message().ts()) ? a : b);
    }

    void jobUpdate(io.edgeloop.protocol.message.JobExecutionUpdate m) {
        jobUpdates.add(m);
    }

    void captures(CaptureBatch m) {
        captures.add(m);
    }

    void labels(LabelBatch m) {
        labels.add(m);
    }

    void reject(ErrorCode code, String topic, String error) {
        rejects.merge(code, new Rejects(1, topic, error), (a, b) -> new Rejects(a.count() + 1, b.lastTopic(), b.lastError()));
    }

    public List<Row> rows() {
        return rows;
    }

    public Map<ErrorCode, Rejects> rejects() {
        return rejects;
    }

    boolean isEmpty() {
        return rows.isEmpty() && births.isEmpty() && statuses.isEmpty() && rejects.isEmpty() && jobUpdates.isEmpty()
                && captures.isEmpty() && labels.isEmpty();
    }
}
