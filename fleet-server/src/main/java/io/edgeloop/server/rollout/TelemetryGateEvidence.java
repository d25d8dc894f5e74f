package io.edgeloop.server.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.server.rollout.policy.GateEvidence;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gate evidence from the raw telemetry (V3): for the candidate, the health and drift reports the
 * devices that took the version sent while running it; for the previous version, the same
 * devices' reports on the version they left, from the hour before the rollout started until they
 * switched. Requests and errors are the growth of the agents' cumulative counters between a
 * device's first and last report in the window; p95 the mean of the reports' p95; shadow
 * agreement the compared-count-weighted mean of reports whose shadow is the candidate (sent
 * before activation, while validating on live traffic); estimated accuracy and drift (output PSI)
 * the means of the drift windows.
 */
final class TelemetryGateEvidence implements GateEvidenceSource {
    static final long PREVIOUS_LOOKBACK_MS = 3_600_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Sums over one version's reports. */
    private static final class Tally {
        final Map<String, long[]> firstLast = new HashMap<>(); // device -> {firstReq, lastReq, firstErr, lastErr}
        double p95Sum;
        int p95Count;
        double agreementWeighted;
        long compared;
        double accuracySum;
        int accuracyCount;
        double driftSum;
        int driftCount;
        final Set<String> devices = new HashSet<>();

        GateEvidence evidence() {
            long requests = 0;
            long errors = 0;
            for (long[] v : firstLast.values()) {
                requests += Math.max(0, v[1] - v[0]);
                errors += Math.max(0, v[3] - v[2]);
            }
            return new GateEvidence(requests, errors, p95Count == 0 ? null : p95Sum / p95Count,
                    compared == 0 ? null : agreementWeighted / compared, accuracyCount == 0 ? null : accuracySum / accuracyCount,
                    driftCount == 0 ? null : driftSum / driftCount, devices.size());
        }
    }

    @Override
    public Evidence gather(Connection c, String model, String candidateVersion, List<Execution> took,
                           List<String> targets, long sinceMs) throws SQLException {
        Tally candidate = new Tally();
        Tally previous = new Tally();
        Map<String, Execution> byDevice = new HashMap<>();
        took.forEach(e -> byDevice.put(e.deviceId, e));
        String sql = "SELECT device_id, stream, ts_ms, model_version, payload FROM telemetry WHERE model_name = ?"
                + " AND ts_ms >= ? ORDER BY ts_ms, seq";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, model);
            ps.setLong(2, sinceMs - PREVIOUS_LOOKBACK_MS);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String device = rs.getString(1);
                    String stream = rs.getString(2);
                    long ts = rs.getLong(3);
                    String version = rs.getString(4);
                    JsonNode m;
                    try {
                        m = JSON.readTree(rs.getString(5));
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        continue;
                    }
                    if (stream.equals("health")) {
                        shadow(candidate, m, candidateVersion);
                    }
                    Execution e = byDevice.get(device);
                    if (e == null) {
                        continue;
                    }
                    if (version.equals(candidateVersion)) {
                        add(candidate, device, stream, m);
                    } else if (e.previousVersion == null || version.equals(e.previousVersion)) {
                        long switched = e.succeededMs == null ? Long.MAX_VALUE : e.succeededMs;
                        if (ts <= switched) {
                            add(previous, device, stream, m);
                        }
                    }
                }
            }
        }
        return new Evidence(candidate.evidence(), previous.evidence());
    }

    private static void shadow(Tally t, JsonNode m, String candidateVersion) {
        JsonNode s = m.path("shadow");
        if (s.isObject() && candidateVersion.equals(s.path("model").path("version").asText(null))) {
            long n = s.path("comparedCount").asLong(0);
            if (n > 0) {
                t.agreementWeighted += s.path("agreementRate").asDouble() * n;
                t.compared += n;
            }
        }
    }

    private static void add(Tally t, String device, String stream, JsonNode m) {
        t.devices.add(device);
        if (stream.equals("health")) {
            JsonNode inf = m.path("inference");
            long req = inf.path("requestCount").asLong(0);
            long err = inf.path("errorCount").asLong(0);
            long[] v = t.firstLast.get(device);
            if (v == null) {
                t.firstLast.put(device, new long[] {req, req, err, err});
            } else {
                v[1] = req;
                v[3] = err;
            }
            if (inf.has("p95Micros") && inf.path("requestCount").asLong(0) > 0) {
                t.p95Sum += inf.path("p95Micros").asDouble() / 1000.0;
                t.p95Count++;
            }
        } else {
            JsonNode acc = m.get("estimatedAccuracy");
            if (acc != null && acc.isNumber()) {
                t.accuracySum += acc.asDouble();
                t.accuracyCount++;
            }
            JsonNode psi = m.path("output").get("psi");
            if (psi != null && psi.isNumber()) {
                t.driftSum += psi.asDouble();
                t.driftCount++;
            }
        }
    }
}
