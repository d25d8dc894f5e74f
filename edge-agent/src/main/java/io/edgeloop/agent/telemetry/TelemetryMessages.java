package io.edgeloop.agent.telemetry;

import io.edgeloop.agent.drift.DriftResult;
import io.edgeloop.agent.health.HealthSnapshot;
import io.edgeloop.protocol.message.AccuracyEstimate;
import io.edgeloop.protocol.message.ClassCount;
import io.edgeloop.protocol.message.DriftReport;
import io.edgeloop.protocol.message.FeatureDrift;
import io.edgeloop.protocol.message.HealthReport;
import io.edgeloop.protocol.message.InferenceStats;
import io.edgeloop.protocol.message.LiveAccuracy;
import io.edgeloop.protocol.message.ModelRef;
import io.edgeloop.protocol.message.OutputDrift;
import io.edgeloop.protocol.message.ResourceUsage;
import io.edgeloop.protocol.message.ShadowStats;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** Turns the agent's drift and health figures into the protocol's wire messages. */
public final class TelemetryMessages {
    private TelemetryMessages() {
    }

    /** The drift message of one window; {@code variant} is the installed package variant. */
    public static DriftReport drift(String deviceId, long seq, DriftResult r, String variant) {
        List<FeatureDrift> features = new ArrayList<>();
        for (io.edgeloop.agent.drift.FeatureDrift f : r.features()) {
            features.add(new FeatureDrift(f.name(), Math.max(0, f.psi()), clamp(f.ksStatistic()), clamp(f.ksPValue()),
                    f.drifted(), f.source(), clamp(f.threshold()), finiteOrNull(f.mean()), finiteOrNull(f.baselineMean())));
        }
        List<ClassCount> classes = new ArrayList<>();
        for (io.edgeloop.agent.drift.ClassCount c : r.classes()) {
            classes.add(new ClassCount(c.name(), c.observed(), Math.max(0, c.expected())));
        }
        Double estimated = Double.isFinite(r.estimatedAccuracy()) ? clamp(r.estimatedAccuracy()) : null;
        AccuracyEstimate estimate = estimated == null ? null : new AccuracyEstimate(estimated,
                Double.isFinite(r.estimateLow()) ? clamp(r.estimateLow()) : null,
                Double.isFinite(r.estimateHigh()) ? clamp(r.estimateHigh()) : null, r.estimateMethod(),
                r.estimateOutOfRange());
        LiveAccuracy live = r.labelled() > 0 ? new LiveAccuracy(clamp(r.liveAccuracy()), r.labelled(),
                Double.isFinite(r.estimateError()) ? Math.max(-1, Math.min(1, r.estimateError())) : null) : null;
        // The feature tests' level; the class test's own is in the output (weighted Bonferroni).
        double perTest = !r.features().isEmpty() ? r.features().get(0).threshold()
                : r.outputThreshold() > 0 && r.outputThreshold() < 1 ? r.outputThreshold() : r.alpha();
        return new DriftReport(deviceId, Instant.ofEpochMilli(r.endMillis()), seq, new ModelRef(r.model(), r.version(), variant),
                Instant.ofEpochMilli(r.startMillis()), Instant.ofEpochMilli(r.endMillis()), r.samples(), features,
                new OutputDrift(Math.max(0, r.outputPsi()), clamp(r.outputChiSquareP()), r.outputDrifted(),
                        finiteOrNull(r.outputChiSquare()), clamp(r.outputThreshold()), classes),
                estimated, live, r.drifted(), perTest, r.alpha(), estimate, r.summary());
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /**
     * The health message of one interval. {@code variants} maps (model, version) to the installed
     * variant.
     */
    public static HealthReport health(String deviceId, long seq, HealthSnapshot s, long requestsTotal, long errorsTotal,
                                      BiFunction<String, String, String> variants) {
        InferenceStats inference = new InferenceStats(s.p50Ms() * 1000, s.p95Ms() * 1000, s.p99Ms() * 1000,
                s.requests() / Math.max(1e-9, s.intervalSeconds()), requestsTotal + errorsTotal, errorsTotal);
        ResourceUsage resources = new ResourceUsage(Math.max(0, s.processCpu()) * 100 * Runtime.getRuntime().availableProcessors(),
                Math.max(0, s.residentBytes()), Math.max(0, s.diskFreeBytes()), (long) s.uptimeSeconds());
        List<ModelRef> active = new ArrayList<>();
        for (Map.Entry<String, String> e : s.activeVersions().entrySet()) {
            active.add(new ModelRef(e.getKey(), e.getValue(), variants.apply(e.getKey(), e.getValue())));
        }
        ShadowStats shadow = null;
        if (!s.shadowVersions().isEmpty() && s.shadowCompared() > 0) {
            Map.Entry<String, String> first = s.shadowVersions().entrySet().iterator().next();
            shadow = new ShadowStats(new ModelRef(first.getKey(), first.getValue(), variants.apply(first.getKey(), first.getValue())),
                    clamp(s.shadowAgreement()), s.shadowLatencyDeltaMs() * 1000, s.shadowCompared());
        }
        return new HealthReport(deviceId, Instant.now(), seq, inference, resources, active, shadow);
    }

    private static double clamp(double v) {
        return Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
    }
}
