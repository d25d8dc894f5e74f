package io.edgeloop.agent.api;

import io.edgeloop.agent.buffer.CaptureBuffer;
import io.edgeloop.agent.buffer.CaptureCounters;
import io.edgeloop.agent.health.HealthMonitor;
import io.edgeloop.agent.health.ProcessStats;
import io.edgeloop.agent.serving.ModelRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The Prometheus registry behind {@code GET /metrics}, reading the agent's live figures. */
public final class AgentMetrics {
    private AgentMetrics() {
    }

    public static PrometheusMeterRegistry create(HealthMonitor health, ModelRegistry registry, CaptureBuffer capture) {
        return create(health, registry, capture, null);
    }

    /** With the capture uploader's counters ({@code uploads} may be null). */
    public static PrometheusMeterRegistry create(HealthMonitor health, ModelRegistry registry, CaptureBuffer capture,
                                                 CaptureCounters uploads) {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        FunctionCounter.builder("edgeloop.requests", health, HealthMonitor::requestsTotal)
                .description("inference requests answered").register(metrics);
        FunctionCounter.builder("edgeloop.inferences", health, HealthMonitor::inferencesTotal)
                .description("inferences (rows) computed").register(metrics);
        FunctionCounter.builder("edgeloop.errors", health, HealthMonitor::errorsTotal)
                .description("inference requests that failed in the engine").register(metrics);
        FunctionCounter.builder("edgeloop.engine.calls", registry, ModelRegistry::engineCalls)
                .description("engine calls of the active versions; inferences / calls = mean dynamic batch").register(metrics);
        FunctionCounter.builder("edgeloop.engine.rows", registry, ModelRegistry::rowsRun)
                .description("rows the active versions' engines ran").register(metrics);
        Gauge.builder("edgeloop.inflight", registry, ModelRegistry::inFlight)
                .description("requests queued or running").register(metrics);
        Gauge.builder("edgeloop.process.resident", ProcessStats::residentBytes).baseUnit("bytes")
                .description("resident set size (VmRSS)").register(metrics);
        Gauge.builder("edgeloop.uptime", health, HealthMonitor::uptimeSeconds).baseUnit("seconds").register(metrics);
        for (double p : new double[]{50, 95, 99}) {
            Gauge.builder("edgeloop.latency", health, h -> h.totalPercentileMs(p)).tag("quantile", Double.toString(p / 100))
                    .baseUnit("milliseconds").description("request latency up to the last health snapshot").register(metrics);
        }
        if (capture != null) {
            Gauge.builder("edgeloop.capture.size", capture, CaptureBuffer::bytes).baseUnit("bytes").register(metrics);
            Gauge.builder("edgeloop.capture.records", capture, CaptureBuffer::count).register(metrics);
        }
        if (uploads != null) {
            FunctionCounter.builder("edgeloop.capture.uploaded", uploads, CaptureCounters::uploaded)
                    .description("captures put into the outbox for the fleet").register(metrics);
            FunctionCounter.builder("edgeloop.capture.skipped", uploads, CaptureCounters::skipped)
                    .description("captures evicted or expired before their upload, or unsendable").register(metrics);
            FunctionCounter.builder("edgeloop.capture.batches", uploads, CaptureCounters::batches)
                    .description("capture batches put into the outbox").register(metrics);
            FunctionCounter.builder("edgeloop.capture.labels.sent", uploads, CaptureCounters::labelsSent)
                    .description("feedback labels sent in label batches").register(metrics);
            FunctionCounter.builder("edgeloop.capture.labels.on.captures", uploads, CaptureCounters::labelsOnCaptures)
                    .description("feedback labels sent on their not yet uploaded capture").register(metrics);
            FunctionCounter.builder("edgeloop.capture.labels.dropped", uploads, CaptureCounters::labelsDropped)
                    .description("feedback labels not kept for the fleet (pending store full)").register(metrics);
        }
        new JvmMemoryMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        return metrics;
    }
}
