package io.edgeloop.server.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.server.db.Database;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Drift and the label-free accuracy estimate over time, per model version across its devices:
 * the raw drift windows since a time, grouped into time buckets. A bucket says how many windows
 * and devices it holds, how many windows drifted, the mean and lowest estimated accuracy, and the
 * mean output PSI and largest feature PSI. Hourly aggregates (raw rows past their retention) carry
 * no estimate and are not read.
 */
public final class DriftSeries {
    /** The most raw drift windows one answer reads (the newest ones). */
    public static final int MAX_WINDOWS = 50_000;
    /** About how many buckets an automatic bucket width aims at. */
    public static final int TARGET_BUCKETS = 60;
    private static final long[] NICE_SECONDS = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
            10_800, 21_600, 43_200, 86_400};
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One drift window as stored. */
    public record Window(String deviceId, long tsMillis, String model, String version, boolean drifted,
                         Double estimatedAccuracy, boolean outOfRange, Double outputPsi, Double maxFeaturePsi) {
    }

    /**
     * One time bucket of one model version.
     *
     * @param start the bucket's start, epoch milliseconds
     * @param meanEstimatedAccuracy null when no window in it carried an estimate
     */
    public record Point(long start, int windows, int devices, int drifted, int outOfRange, Double meanEstimatedAccuracy,
                        Double minEstimatedAccuracy, Double meanOutputPsi, Double maxFeaturePsi) {
    }

    /** The buckets of one model version, oldest first. */
    public record Series(String model, String version, List<Point> points) {
    }

    /** Every model version's series, the bucket width used, and whether older windows were left out. */
    public record Result(long bucketSeconds, boolean truncated, List<Series> series) {
    }

    private final Database db;

    public DriftSeries(Database db) {
        this.db = db;
    }

    /**
     * @param bucketSeconds the bucket width, or 0 to pick a round width that gives about
     *                      {@link #TARGET_BUCKETS} buckets over the windows found
     */
    public Result since(long sinceMillis, long bucketSeconds) throws EdgeLoopException {
        List<Window> windows = read(sinceMillis);
        return group(windows, bucketSeconds, windows.size() >= MAX_WINDOWS);
    }

    /** Groups windows (any order) into buckets per model version; pure, for tests. */
    public static Result group(List<Window> windows, long bucketSeconds, boolean truncated) {
        long width = bucketSeconds > 0 ? bucketSeconds : autoWidth(windows);
        Map<String, Map<Long, List<Window>>> byVersion = new TreeMap<>();
        for (Window w : windows) {
            byVersion.computeIfAbsent(w.model() + "\u0000" + w.version(), k -> new TreeMap<>())
                    .computeIfAbsent(Math.floorDiv(w.tsMillis(), width * 1000) * width * 1000, k -> new ArrayList<>()).add(w);
        }
        List<Series> series = new ArrayList<>();
        for (Map.Entry<String, Map<Long, List<Window>>> v : byVersion.entrySet()) {
            String[] key = v.getKey().split("\u0000", 2);
            List<Point> points = new ArrayList<>();
            v.getValue().forEach((start, in) -> points.add(point(start, in)));
            series.add(new Series(key[0], key[1], points));
        }
        return new Result(width, truncated, series);
    }

    private static Point point(long start, List<Window> in) {
        Set<String> devices = new HashSet<>();
        int drifted = 0;
        int outOfRange = 0;
        Mean accuracy = new Mean();
        Mean outputPsi = new Mean();
        Double min = null;
        Double maxFeature = null;
        for (Window w : in) {
            devices.add(w.deviceId());
            drifted += w.drifted() ? 1 : 0;
            outOfRange += w.outOfRange() ? 1 : 0;
            if (w.estimatedAccuracy() != null) {
                accuracy.add(w.estimatedAccuracy());
                min = min == null ? w.estimatedAccuracy() : Math.min(min, w.estimatedAccuracy());
            }
            if (w.outputPsi() != null) {
                outputPsi.add(w.outputPsi());
            }
            if (w.maxFeaturePsi() != null) {
                maxFeature = maxFeature == null ? w.maxFeaturePsi() : Math.max(maxFeature, w.maxFeaturePsi());
            }
        }
        return new Point(start, in.size(), devices.size(), drifted, outOfRange, accuracy.value(), min, outputPsi.value(),
                maxFeature);
    }

    private static final class Mean {
        private double sum;
        private int n;

        void add(double v) {
            sum += v;
            n++;
        }

        Double value() {
            return n == 0 ? null : sum / n;
        }
    }

    static long autoWidth(List<Window> windows) {
        if (windows.isEmpty()) {
            return NICE_SECONDS[0];
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (Window w : windows) {
            first = Math.min(first, w.tsMillis());
            last = Math.max(last, w.tsMillis());
        }
        double wanted = (last - first) / 1000.0 / TARGET_BUCKETS;
        for (long s : NICE_SECONDS) {
            if (s >= wanted) {
                return s;
            }
        }
        return NICE_SECONDS[NICE_SECONDS.length - 1];
    }

    private List<Window> read(long sinceMillis) throws EdgeLoopException {
        String sql = "SELECT device_id, ts_ms, model_name, model_version, drifted, payload FROM telemetry"
                + " WHERE stream = 'drift' AND ts_ms >= ? ORDER BY ts_ms DESC LIMIT ?";
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, sinceMillis);
            ps.setInt(2, MAX_WINDOWS);
            List<Window> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(window(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                            rs.getString(6)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new EdgeLoopException(ErrorCode.STORAGE_FAILED, "cannot read drift telemetry: " + e.getMessage(), e);
        }
    }

    /** A stored window from its columns and the agent's {@code edgeloop.drift/1} JSON. */
    static Window window(String deviceId, long ts, String model, String version, boolean drifted, String payload) {
        JsonNode m;
        try {
            m = JSON.readTree(payload);
        } catch (IOException e) {
            // The ingest stored only messages it could decode; a row that is not JSON counts without figures.
            m = JSON.createObjectNode();
        }
        Double maxFeature = null;
        for (JsonNode f : m.path("features")) {
            if (f.path("psi").isNumber()) {
                maxFeature = maxFeature == null ? f.get("psi").asDouble() : Math.max(maxFeature, f.get("psi").asDouble());
            }
        }
        JsonNode estimate = m.path("estimatedAccuracy");
        JsonNode psi = m.path("output").path("psi");
        return new Window(deviceId, ts, model, version, drifted, estimate.isNumber() ? estimate.asDouble() : null,
                m.path("estimate").path("outOfRange").asBoolean(false), psi.isNumber() ? psi.asDouble() : null, maxFeature);
    }
}
