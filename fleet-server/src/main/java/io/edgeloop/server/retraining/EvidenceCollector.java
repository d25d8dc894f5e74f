package io.edgeloop.server.retraining;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.protocol.message.DriftReport;
import io.edgeloop.server.captures.CaptureCounts;
import io.edgeloop.server.captures.CaptureStore;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.packages.PackageRepository;
import io.edgeloop.server.packages.StoredPackage;
import io.edgeloop.server.registry.ModelRegistry;
import io.edgeloop.server.registry.ModelStage;
import io.edgeloop.server.registry.ModelVersion;
import io.edgeloop.server.retraining.policy.DriftWindowFacts;
import io.edgeloop.server.retraining.policy.RetrainingEvidence;
import io.edgeloop.server.retraining.policy.RetrainingPolicy;
import io.edgeloop.server.retraining.policy.VersionExpectation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Gathers what a policy decides on: the model's drift windows of the lookback (stored
 * telemetry), the registry's production version, each reported package version's expected
 * accuracy (its manifest's baseline; on the devices whose captures trained it, its gate accuracy
 * on their drifted holdout), the devices' captures and labels since the last retraining (capture
 * store), and the retraining history.
 */
final class EvidenceCollector implements EvidenceSource {
    private static final Logger LOG = LoggerFactory.getLogger(EvidenceCollector.class);
    private static final int MAX_WINDOWS = 10_000;

    private final Database db;
    private final RetrainingStore store;
    private final ModelRegistry registry;
    private final PackageRepository packages;
    private final CaptureStore captures;
    private final MessageCodec codec = new MessageCodec();

    EvidenceCollector(Database db, RetrainingStore store, ModelRegistry registry, PackageRepository packages,
                      CaptureStore captures) {
        this.db = db;
        this.store = store;
        this.registry = registry;
        this.packages = packages;
        this.captures = captures;
    }

    @Override
    public RetrainingEvidence collect(String model, RetrainingPolicy policy, Instant now) throws EdgeLoopException {
        Integer production = registry.versions(model).stream().filter(v -> v.stage() == ModelStage.PRODUCTION)
                .map(ModelVersion::version).reduce((a, b) -> b).orElse(null);
        List<DriftWindowFacts> windows = windows(model, now.toEpochMilli() - policy.signal().lookback().toMillis());
        Set<String> devices = new LinkedHashSet<>();
        Set<String> versions = new LinkedHashSet<>();
        for (DriftWindowFacts w : windows) {
            devices.add(w.deviceId());
            versions.add(w.modelVersion());
        }
        Optional<StoredDecision> last = db.transaction(c -> store.lastRetraining(c, model));
        Optional<StoredDecision> running = db.transaction(store::running);
        long since = last.map(StoredDecision::decidedMillis).orElse(0L);
        CaptureCounts counts = devices.isEmpty() ? new CaptureCounts(Map.of(), Map.of())
                : captures.counts(model, devices, since);
        Map<String, VersionExpectation> expectations = new HashMap<>();
        for (String v : versions) {
            expectations.put(v, expectation(model, v));
        }
        return new RetrainingEvidence(now, production, windows, expectations, counts.captures(), counts.labelled(),
                last.map(d -> Instant.ofEpochMilli(d.decidedMillis())).orElse(null), running.map(StoredDecision::id).orElse(null));
    }

    /** What a package version is expected to reach (see {@link VersionExpectation}). */
    private VersionExpectation expectation(String model, String version) throws EdgeLoopException {
        Double baseline = null;
        try {
            StoredPackage p = packages.get(model, version);
            JsonNode accuracy = p.manifest() == null ? null : p.manifest().path("baseline").path("outputs").path("accuracy");
            baseline = accuracy != null && accuracy.isNumber() ? accuracy.asDouble() : null;
        } catch (EdgeLoopException e) {
            // A version the repository does not hold (deleted, or packaged elsewhere): no baseline to compare with.
            LOG.debug("no package {} {} for its baseline accuracy: {}", model, version, e.getMessage());
        }
        Map<String, Double> gated = db.transaction(c -> {
            Map<String, Double> out = new HashMap<>();
            Optional<StoredDecision> d = store.byPackage(c, model, version);
            if (d.isPresent() && d.get().gate() != null && d.get().runId() != null) {
                double accuracy = d.get().gate().path("drifted").path("candidate").asDouble();
                store.trainingSet(c, d.get().runId()).ifPresent(t ->
                        t.captures().forEach(u -> out.put(u.deviceId(), accuracy)));
            }
            return out;
        });
        return new VersionExpectation(baseline, gated);
    }

    private List<DriftWindowFacts> windows(String model, long sinceMillis) throws EdgeLoopException {
        return db.transaction(c -> {
            List<DriftWindowFacts> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT device_id, payload FROM telemetry WHERE model_name = ?"
                    + " AND stream = 'drift' AND ts_ms >= ? ORDER BY ts_ms DESC FETCH FIRST " + MAX_WINDOWS + " ROWS ONLY")) {
                ps.setString(1, model);
                ps.setLong(2, sinceMillis);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        facts(rs.getString(2)).ifPresent(out::add);
                    }
                }
            }
            return out;
        });
    }

    private Optional<DriftWindowFacts> facts(String payload) {
        try {
            DriftReport r = codec.decode(payload.getBytes(StandardCharsets.UTF_8), DriftReport.class);
            return Optional.of(new DriftWindowFacts(r.deviceId(), r.model().version(), r.windowEnd().toEpochMilli(),
                    r.samples(), r.estimatedAccuracy(), r.liveAccuracy() == null ? null : r.liveAccuracy().accuracy(),
                    r.liveAccuracy() == null ? 0 : r.liveAccuracy().labelledCount(), r.output().psi(), r.drifted(),
                    r.estimate() != null && r.estimate().outOfRange()));
        } catch (io.edgeloop.protocol.MessageFormatException | RuntimeException e) {
            LOG.warn("a stored drift report cannot be read, skipped: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
